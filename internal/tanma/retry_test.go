package tanma_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestClientRetriesClockSkewOnce: a 1003 answer is retried exactly once, with
// a fresh timestamp and signature, and the retry's answer is the result.
func TestClientRetriesClockSkewOnce(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		second    string // the answer to the retry
		wantIs    []error
		wantPages int
	}{
		{name: "retry succeeds", second: `{"code":0,"message":"ok","data":{"list":[{"customerId":1}]}}`, wantPages: 1},
		{name: "retry rejected for another reason", second: `{"code":1002,"message":"签名校验未通过"}`, wantIs: []error{tanma.ErrSignatureRejected}},
		{name: "retry skewed again", second: `{"code":1003,"message":"请求时间与服务器时间相差过大"}`, wantIs: []error{tanma.ErrClockSkew}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{reply: func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					answer(200, `{"code":1003,"message":"请求时间与服务器时间相差过大"}`)(w, r, n)
					return
				}
				answer(200, tt.second)(w, r, n)
			}}
			var ticks int64
			c := startRecorder(t, rec, tanma.WithClock(func() time.Time {
				ticks++
				return testNow.Add(time.Duration(ticks) * time.Second)
			}))

			page, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})

			reqs := rec.requests()
			require.Len(t, reqs, 2, "exactly one retry")
			assert.NotEqual(t, reqs[0].Header.Get("timestamp"), reqs[1].Header.Get("timestamp"), "the retry has a fresh timestamp")
			assert.Equal(t, reqs[0].Body, reqs[1].Body, "the retry sends the same body")
			for _, r := range reqs {
				assert.Equal(t, tanma.Sign(testAppID, r.Header.Get("timestamp"), r.Body, testAppKey), r.Header.Get("sign"))
			}
			if tt.wantIs == nil {
				require.NoError(t, err)
				assert.Len(t, page.List, tt.wantPages)
				return
			}
			assertSentinels(t, err, tt.wantIs...)
			assertNoLeak(t, err, signsOf(reqs))
		})
	}
}

// TestClientDoesNotRetryOtherFailures: only 1003 is retried.
func TestClientDoesNotRetryOtherFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		reply func(http.ResponseWriter, *http.Request, int)
	}{
		{"code 1002", answer(200, `{"code":1002,"message":"签名校验未通过"}`)},
		{"http 500", answer(500, `{"code":500,"message":"系统异常"}`)},
		{"http 429", answer(429, ``, "Retry-After", "1")},
		{"bad json", answer(200, `{`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{reply: tt.reply}
			c := startRecorder(t, rec)
			require.Error(t, c.Do(t.Context(), tanma.PathListByQwUserID, map[string]string{"qwUserId": "dowen"}, nil))
			assert.Len(t, rec.requests(), 1)
		})
	}
}
