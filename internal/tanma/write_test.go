package tanma_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// pathAddClue is a write endpoint seen in use (tanma-api.md).
const pathAddClue = "/v3/add-clue"

type clue struct {
	CustomerName string   `json:"customerName"`
	Mobiles      []string `json:"mobiles"`
}

// TestDoWriteIsNotRetried: a write is sent once whatever the failure, but
// for one re-signed attempt after a clock-skew answer.
func TestDoWriteIsNotRetried(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		reply     func(http.ResponseWriter, *http.Request, int)
		wantIs    []error // nil: success
		wantCalls int
	}{
		{name: "success", reply: answer(200, `{"code":0,"message":"ok","data":{"customerId":42}}`), wantCalls: 1},
		{name: "http 500: it may have failed after acting", reply: answer(500, `{"code":500,"message":"系统异常"}`), wantIs: []error{tanma.ErrUnavailable, tanma.ErrUnknownOutcome}, wantCalls: 1},
		{name: "http 503", reply: answer(503, ``), wantIs: []error{tanma.ErrUnavailable, tanma.ErrUnknownOutcome}, wantCalls: 1},
		{name: "http 400: refused at the door", reply: answer(400, ``), wantIs: []error{}, wantCalls: 1},
		{name: "http 404", reply: answer(404, `{"code":404,"message":"Not Found"}`), wantIs: []error{}, wantCalls: 1},
		{name: "success whose data cannot be read", reply: answer(200, `{"code":0,"message":"ok","data":{"customerId":"x"}}`), wantIs: []error{tanma.ErrBadResponse, tanma.ErrUnknownOutcome}, wantCalls: 1},
		{name: "http 504 from a gateway: outcome unknown", reply: answer(504, ``), wantIs: []error{tanma.ErrUnavailable, tanma.ErrUnknownOutcome}, wantCalls: 1},
		{name: "http 429", reply: answer(429, ``), wantIs: []error{tanma.ErrRateLimited}, wantCalls: 1},
		{name: "connection closed after sending", reply: hangUp, wantIs: []error{tanma.ErrUnavailable, tanma.ErrUnknownOutcome}, wantCalls: 1},
		{name: "answer cut off", reply: cutOff, wantIs: []error{tanma.ErrUnavailable, tanma.ErrUnknownOutcome}, wantCalls: 1},
		{name: "duplicate phone", reply: answer(200, `{"code":40417,"message":"请求参数验证失败：电话号码重复"}`), wantIs: []error{tanma.ErrDuplicatePhone, tanma.ErrValidation}, wantCalls: 1},
		{name: "an undocumented code: the write may have happened", reply: answer(200, `{"code":50000,"message":"系统异常"}`), wantIs: []error{tanma.ErrUnknownOutcome}, wantCalls: 1},
		{name: "an undocumented code with a message", reply: answer(200, `{"code":1,"message":"操作失败"}`), wantIs: []error{tanma.ErrUnknownOutcome}, wantCalls: 1},
		{name: "signature refused before acting", reply: answer(200, `{"code":1002,"message":"签名校验未通过"}`), wantIs: []error{tanma.ErrSignatureRejected}, wantCalls: 1},
		{name: "another validation failure", reply: answer(200, `{"code":400,"message":"请求参数验证失败：客户名称不能为空"}`), wantIs: []error{tanma.ErrValidation}, wantCalls: 1},
		{name: "bad json: the answer cannot say it was refused", reply: answer(200, `{`), wantIs: []error{tanma.ErrBadResponse, tanma.ErrUnknownOutcome}, wantCalls: 1},
		{name: "clock skew, re-signed once, succeeds", reply: failFirst(1, answer(200, `{"code":1003,"message":"x"}`), answer(200, `{"code":0,"data":{"customerId":42}}`)), wantCalls: 2},
		{name: "clock skew twice", reply: answer(200, `{"code":1003,"message":"x"}`), wantIs: []error{tanma.ErrClockSkew}, wantCalls: 2},
		{name: "clock skew then 500", reply: failFirst(1, answer(200, `{"code":1003,"message":"x"}`), answer(500, ``)), wantIs: []error{tanma.ErrUnavailable, tanma.ErrUnknownOutcome}, wantCalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{reply: tt.reply}
			var ticks int64
			var mu sync.Mutex
			c := startRecorder(t, rec, fastRetry, tanma.WithClock(func() time.Time {
				mu.Lock()
				defer mu.Unlock()
				ticks++
				return testNow.Add(time.Duration(ticks) * time.Second)
			}))

			var out struct {
				CustomerID tanma.ID `json:"customerId"`
			}
			err := c.DoWrite(t.Context(), pathAddClue, clue{CustomerName: "张三", Mobiles: []string{"110"}}, &out)

			reqs := rec.requests()
			require.Len(t, reqs, tt.wantCalls, "upstream calls")
			for _, r := range reqs {
				assert.Equal(t, `{"customerName":"张三","mobiles":["110"]}`, string(r.Body))
				assert.NoError(t, tanma.Verify(r.Header, r.Body, testAppID, testAppKey, time.UnixMilli(mustMillis(t, r.Header.Get("timestamp"))), time.Second))
			}
			if len(reqs) == 2 {
				assert.NotEqual(t, reqs[0].Header.Get("timestamp"), reqs[1].Header.Get("timestamp"), "re-signed with a fresh timestamp")
			}
			if tt.wantIs == nil {
				require.NoError(t, err)
				assert.Equal(t, tanma.ID(42), out.CustomerID)
				return
			}
			var apiErr *tanma.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, pathAddClue, apiErr.Endpoint)
			assertSentinels(t, err, tt.wantIs...)
			assertNoLeak(t, err, signsOf(reqs))
		})
	}
}

// TestDoWriteTimeoutAfterSending: the request reached the upstream and the
// answer never came: the write may have happened.
func TestDoWriteTimeoutAfterSending(t *testing.T) {
	t.Parallel()
	c, started := startBlocking(t, "", tanma.WithTimeout(50*time.Millisecond))

	start := time.Now()
	err := c.DoWrite(t.Context(), pathAddClue, clue{CustomerName: "x"}, nil)

	assert.Less(t, time.Since(start), bound)
	assertSentinels(t, err, tanma.ErrUnavailable, tanma.ErrUnknownOutcome)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, started, 1, "sent once, not retried")
	assertNoLeak(t, err, nil)
}

// TestDoWriteCancelledAfterSending: a caller leaving after the request went
// out does not know the outcome either.
func TestDoWriteCancelledAfterSending(t *testing.T) {
	t.Parallel()
	c, started := startBlocking(t, "")
	ctx, cancel := cancelOnceStarted(t, started)
	defer cancel()

	err := c.DoWrite(ctx, pathAddClue, clue{CustomerName: "x"}, nil)

	assertSentinels(t, err, tanma.ErrUnavailable, tanma.ErrUnknownOutcome)
	assert.ErrorIs(t, err, context.Canceled)
}

// TestDoWriteNotSent: a write that could not be sent at all has a known
// outcome: it did not happen.
func TestDoWriteNotSent(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	// Every dial is refused, as a closed port's would be (a closed port could
	// be taken by another socket in the meantime).
	refused := &http.Client{Transport: &http.Transport{
		DialContext: func(context.Context, string, string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		},
	}}
	c := newClient(t, srv, tanma.WithHTTPClient(refused))

	err := c.DoWrite(t.Context(), pathAddClue, clue{CustomerName: "x"}, nil)

	assertSentinels(t, err, tanma.ErrUnavailable)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err = c.DoWrite(ctx, pathAddClue, clue{CustomerName: "x"}, nil)
	assertSentinels(t, err, tanma.ErrUnavailable)
	assert.ErrorIs(t, err, context.Canceled)
}

// TestDoWriteIsNotShared: identical writes in flight at once each reach the
// upstream.
func TestDoWriteIsNotShared(t *testing.T) {
	t.Parallel()
	const n = 5
	release := make(chan struct{})
	rec := &recorder{reply: func(w http.ResponseWriter, r *http.Request, i int) {
		<-release
		answer(200, `{"code":0,"data":null}`)(w, r, i)
	}}
	c := startRecorder(t, rec)
	var once sync.Once
	releaseAll := func() { once.Do(func() { close(release) }) }
	t.Cleanup(releaseAll) // runs before the server closes
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = c.DoWrite(t.Context(), pathAddClue, clue{CustomerName: "same"}, nil) })
	}
	require.Eventually(t, func() bool { return len(rec.requests()) == n }, bound, time.Millisecond,
		"every write reaches the upstream while the others are in flight")
	releaseAll()
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
}

// TestTransferFallsBackOnlyOn404: the documented transfer path first; the
// other recorded path only after a 404 (nothing done), never after any
// other failure.
func TestTransferFallsBackOnlyOn404(t *testing.T) {
	t.Parallel()
	req := tanma.TransferRequest{Customers: []tanma.TransferCustomer{{CustomerName: "张三", ExternalID: "wm1", QwUserID: "dowen"}}, ToQwUserID: "chenjing"}
	notFoundThenOK := func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == tanma.PathTransferCustomers {
			answer(404, `{"code":404,"message":"Not Found"}`)(w, r, n)
			return
		}
		answer(200, `{"code":0,"message":"success"}`)(w, r, n)
	}
	for _, tt := range []struct {
		name      string
		reply     func(http.ResponseWriter, *http.Request, int)
		wantPaths []string
		wantErr   bool
	}{
		{"documented path works", answer(200, `{"code":0,"message":"success"}`), []string{tanma.PathTransferCustomers}, false},
		{"404 then the other path", notFoundThenOK, []string{tanma.PathTransferCustomers, tanma.PathTransferCustomersAlt}, false},
		{"500 is not retried anywhere", answer(500, ``), []string{tanma.PathTransferCustomers}, true},
		{"refused is not retried anywhere", answer(200, `{"code":400,"message":"请求参数验证失败：x"}`), []string{tanma.PathTransferCustomers}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{reply: tt.reply}
			c := startRecorder(t, rec)
			err := c.TransferCustomers(t.Context(), req)
			assert.Equal(t, tt.wantErr, err != nil, "%v", err)
			var paths []string
			for _, r := range rec.requests() {
				paths = append(paths, r.Path)
				assert.JSONEq(t, `{"customers":[{"customerName":"张三","externalId":"wm1","qwUserId":"dowen"}],"handoverToUserid":"chenjing"}`, string(r.Body))
			}
			assert.Equal(t, tt.wantPaths, paths)
		})
	}
}

func TestValidPhone(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"18910515284": true, "110110": true, "+86 139-0000-0002": true, "010-12345678": true, "123": true,
		"12": false, "": false, "abc": false, "139 0000 000a": false, "-13900000000": false, "13900000000-": false,
		"1+3900000000": false, "123456789012345678901": false, "１３９": false,
	} {
		assert.Equal(t, want, tanma.ValidPhone(s), "%q", s)
	}
}
