package tanma_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
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

// fastRetry keeps the default three attempts with millisecond waits.
var fastRetry = tanma.WithRetry(3, time.Millisecond, 10*time.Millisecond)

// okEmpty is a success answer with an empty page.
const okEmpty = `{"code":0,"message":"ok","data":{"list":[],"nextCursor":""}}`

// hangUp closes the connection without answering: a transport error.
func hangUp(w http.ResponseWriter, _ *http.Request, _ int) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// cutOff promises more bytes than it sends: the answer breaks off.
func cutOff(w http.ResponseWriter, _ *http.Request, _ int) {
	w.Header().Set("Content-Length", "100")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, `{"code":0,"message":"ok","data":{"li`)
}

// failFirst answers with fail on the first n calls, then with then.
func failFirst(n int, fail, then func(http.ResponseWriter, *http.Request, int)) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, i int) {
		if i <= n {
			fail(w, r, i)
			return
		}
		then(w, r, i)
	}
}

// TestClientRetryByFailureKind: which failures a read retries, and how often.
func TestClientRetryByFailureKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		reply     func(http.ResponseWriter, *http.Request, int)
		opts      []tanma.Option
		wantIs    []error // nil: success
		wantCalls int
	}{
		{name: "http 500", reply: answer(500, `{"code":500,"message":"系统异常"}`), wantIs: []error{tanma.ErrUnavailable}, wantCalls: 3},
		{name: "http 503 no body", reply: answer(503, ``), wantIs: []error{tanma.ErrUnavailable}, wantCalls: 3},
		{name: "http 429 without retry-after", reply: answer(429, ``), wantIs: []error{tanma.ErrRateLimited}, wantCalls: 3},
		{name: "http 429 asking for longer than the max delay", reply: answer(429, ``, "Retry-After", "60"), wantIs: []error{tanma.ErrRateLimited}, wantCalls: 1},
		{name: "connection closed", reply: hangUp, wantIs: []error{tanma.ErrUnavailable}, wantCalls: 3},
		{name: "answer cut off", reply: cutOff, wantIs: []error{tanma.ErrUnavailable}, wantCalls: 3},
		{name: "flaky upstream succeeds on attempt 3", reply: failFirst(2, answer(502, ``), answer(200, okEmpty)), wantCalls: 3},
		{name: "flaky transport succeeds on attempt 2", reply: failFirst(1, hangUp, answer(200, okEmpty)), wantCalls: 2},
		{name: "skew then 5xx: the re-sign is not a retry", reply: failFirst(1, answer(200, `{"code":1003,"message":"x"}`), answer(500, ``)), wantIs: []error{tanma.ErrUnavailable}, wantCalls: 4},
		{name: "one attempt: no retry", reply: answer(500, ``), opts: []tanma.Option{tanma.WithRetry(1, 0, 0)}, wantIs: []error{tanma.ErrUnavailable}, wantCalls: 1},
		{name: "five attempts", reply: answer(500, ``), opts: []tanma.Option{tanma.WithRetry(5, 0, 0), tanma.WithBreaker(0, 0)}, wantIs: []error{tanma.ErrUnavailable}, wantCalls: 5},
		{name: "code 1002", reply: answer(200, `{"code":1002,"message":"签名校验未通过"}`), wantIs: []error{tanma.ErrSignatureRejected}, wantCalls: 1},
		{name: "validation failure", reply: answer(200, `{"code":400,"message":"请求参数验证失败：x"}`), wantIs: []error{tanma.ErrValidation}, wantCalls: 1},
		{name: "unknown code", reply: answer(200, `{"code":50001,"message":"x"}`), wantIs: []error{}, wantCalls: 1},
		{name: "http 404", reply: answer(404, `404 page not found`), wantIs: []error{}, wantCalls: 1},
		{name: "http 400", reply: answer(400, `{"code":400,"message":"Bad Request"}`), wantIs: []error{}, wantCalls: 1},
		{name: "bad json", reply: answer(200, `{`), wantIs: []error{tanma.ErrBadResponse}, wantCalls: 1},
		{name: "not an envelope", reply: answer(200, `{}`), wantIs: []error{tanma.ErrBadResponse}, wantCalls: 1},
		{name: "data of the wrong shape", reply: answer(200, `{"code":0,"data":{"list":1}}`), wantIs: []error{tanma.ErrBadResponse}, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{reply: tt.reply}
			c := startRecorder(t, rec, append([]tanma.Option{fastRetry}, tt.opts...)...)

			_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})

			assert.Len(t, rec.requests(), tt.wantCalls, "upstream calls")
			if tt.wantIs == nil {
				require.NoError(t, err)
				return
			}
			var apiErr *tanma.APIError
			require.ErrorAs(t, err, &apiErr)
			assertSentinels(t, err, tt.wantIs...)
			assertNoLeak(t, err, signsOf(rec.requests()))
		})
	}
}

// TestClientRetryAgainstSandbox drives the retry rules with the sandbox's
// fault knobs.
func TestClientRetryAgainstSandbox(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		faults    sandbox.Faults
		opts      []tanma.Option
		deadline  time.Duration // 0: none
		wantIs    []error
		wantCalls int64
		within    time.Duration // the call returns within this
	}{
		{name: "http 500 every time", faults: sandbox.Faults{ErrorRate: 1}, wantIs: []error{tanma.ErrUnavailable}, wantCalls: 3, within: bound},
		{name: "code 1002", faults: sandbox.Faults{Code: tanma.CodeBadSignature, Message: "签名校验未通过"}, wantIs: []error{tanma.ErrSignatureRejected}, wantCalls: 1, within: bound},
		{name: "code 1003 re-signed once", faults: sandbox.Faults{Code: tanma.CodeClockSkew}, wantIs: []error{tanma.ErrClockSkew}, wantCalls: 2, within: bound},
		{name: "business error", faults: sandbox.Faults{Code: 50001}, wantIs: []error{}, wantCalls: 1, within: bound},
		{
			name:   "429 asking for 1s with 500ms left",
			faults: sandbox.Faults{RateLimited: true, RetryAfter: time.Second}, opts: []tanma.Option{tanma.WithRetry(3, 100*time.Millisecond, 2*time.Second)},
			deadline: 500 * time.Millisecond, wantIs: []error{tanma.ErrRateLimited}, wantCalls: 1, within: 400 * time.Millisecond,
		},
		{
			name:   "upstream slower than the attempt timeout",
			faults: sandbox.Faults{Latency: 5 * time.Second}, opts: []tanma.Option{tanma.WithTimeout(30 * time.Millisecond)},
			wantIs: []error{tanma.ErrUnavailable}, wantCalls: 3, within: bound,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			obs := &recordingObserver{}
			sb, c := sandboxtest.Start(t, nil, append([]tanma.Option{fastRetry, tanma.WithObserver(obs)}, tt.opts...)...)
			sb.SetFaults(tt.faults)
			ctx := t.Context()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}

			start := time.Now()
			_, err := c.ListCustomersByQwUserID(ctx, tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 10})
			elapsed := time.Since(start)

			assertSentinels(t, err, tt.wantIs...)
			// The attempts the client made; the sandbox counts those that
			// reached its handler, which an attempt cut by its timeout on
			// a loaded machine may not have.
			attempts, _ := obs.infos()
			assert.Equal(t, tt.wantCalls, int64(attempts), "upstream attempts")
			if tt.faults.Latency == 0 {
				assert.Equal(t, int64(attempts), sb.Calls(tanma.PathListByQwUserID), "upstream calls")
			} else {
				assert.LessOrEqual(t, sb.Calls(tanma.PathListByQwUserID), int64(attempts), "upstream calls")
			}
			assert.Less(t, elapsed, tt.within)
		})
	}
}

// TestClientBackoffStopsAtTheDeadline: with the default backoff, a failing
// upstream and 200ms to go, the call gives up with the upstream's error
// rather than sleeping past the deadline.
func TestClientBackoffStopsAtTheDeadline(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil, tanma.WithRetry(10, 100*time.Millisecond, 2*time.Second))
	sb.SetFaults(sandbox.Faults{ErrorRate: 1})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()

	start := time.Now()
	_, err := c.ListCustomersByQwUserID(ctx, tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 10})
	elapsed := time.Since(start)

	assert.Less(t, elapsed, 250*time.Millisecond)
	var apiErr *tanma.APIError
	require.ErrorAs(t, err, &apiErr)
	if ctx.Err() == nil {
		// It gave up before the deadline: the error is the upstream's last answer.
		assert.Equal(t, http.StatusInternalServerError, apiErr.HTTPStatus)
	}
	assert.ErrorIs(t, err, tanma.ErrUnavailable)
	assert.GreaterOrEqual(t, sb.Calls(tanma.PathListByQwUserID), int64(1))
}

// TestClientHonoursRetryAfter: a 429 asking for a second is retried no
// sooner than that.
func TestClientHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	rec := &recorder{reply: failFirst(1, answer(429, ``, "Retry-After", "1"), answer(200, okEmpty))}
	c := startRecorder(t, rec, tanma.WithRetry(3, time.Millisecond, 2*time.Second))

	start := time.Now()
	_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})

	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), time.Second)
	assert.Len(t, rec.requests(), 2)
}
