package tanma_test

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// spanKey marks the context an observer returned.
type spanKey struct{}

// recordingObserver keeps every finished attempt and tags the context it
// returns, the way a tracer would put a span in it.
type recordingObserver struct {
	mu     sync.Mutex
	starts int
	calls  []tanma.CallInfo
}

func (o *recordingObserver) StartCall(ctx context.Context, path string) (context.Context, func(tanma.CallInfo)) {
	o.mu.Lock()
	o.starts++
	o.mu.Unlock()
	return context.WithValue(ctx, spanKey{}, path), func(ci tanma.CallInfo) {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.calls = append(o.calls, ci)
	}
}

func (o *recordingObserver) infos() (int, []tanma.CallInfo) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.starts, slices.Clone(o.calls)
}

var _ tanma.Observer = (*recordingObserver)(nil)

// spanHeader copies the observer's context value into a header, standing in
// for otelhttp-style propagation.
type spanHeader struct{ next http.RoundTripper }

func (s spanHeader) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if v, ok := r.Context().Value(spanKey{}).(string); ok {
		r.Header.Set("X-Span", v)
	}
	return s.next.RoundTrip(r)
}

// attempt is what an observer should see of one attempt.
type attempt struct {
	outcome string
	code    int
	status  int
}

func TestObserver(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		reply func(http.ResponseWriter, *http.Request, int)
		opts  []tanma.Option
		calls int // logical calls made
		want  []attempt
	}{
		{name: "ok", reply: answer(200, okEmpty), calls: 1, want: []attempt{{tanma.OutcomeOK, 0, 200}}},
		{
			name:  "flaky: two 5xx then ok",
			reply: failFirst(2, answer(500, `{"code":500,"message":"x"}`), answer(200, okEmpty)), calls: 1,
			want: []attempt{{tanma.OutcomeHTTP5xx, 500, 500}, {tanma.OutcomeHTTP5xx, 500, 500}, {tanma.OutcomeOK, 0, 200}},
		},
		{
			name:  "clock skew re-signed",
			reply: failFirst(1, answer(200, `{"code":1003,"message":"x"}`), answer(200, okEmpty)), calls: 1,
			want: []attempt{{tanma.OutcomeError, 1003, 200}, {tanma.OutcomeOK, 0, 200}},
		},
		{name: "code 1002", reply: answer(200, `{"code":1002,"message":"x"}`), calls: 1, want: []attempt{{tanma.OutcomeError, 1002, 200}}},
		{name: "http 404", reply: answer(404, ``), calls: 1, want: []attempt{{tanma.OutcomeHTTP4xx, 0, 404}}},
		{
			name: "http 429", reply: answer(429, ``), calls: 1,
			want: []attempt{{tanma.OutcomeRateLimited, 0, 429}, {tanma.OutcomeRateLimited, 0, 429}, {tanma.OutcomeRateLimited, 0, 429}},
		},
		{name: "bad json", reply: answer(200, `{"code":`), calls: 1, want: []attempt{{tanma.OutcomeBadResponse, 0, 200}}},
		{
			name: "connection closed", reply: hangUp, calls: 1,
			want: []attempt{{tanma.OutcomeTransport, 0, 0}, {tanma.OutcomeTransport, 0, 0}, {tanma.OutcomeTransport, 0, 0}},
		},
		{
			name: "answer cut off", reply: cutOff, opts: []tanma.Option{tanma.WithRetry(1, 0, 0)}, calls: 1,
			want: []attempt{{tanma.OutcomeTransport, 0, 0}},
		},
		{
			name: "circuit open", reply: answer(503, ``), opts: []tanma.Option{tanma.WithRetry(1, 0, 0), tanma.WithBreaker(1, time.Hour)}, calls: 2,
			want: []attempt{{tanma.OutcomeHTTP5xx, 0, 503}, {tanma.OutcomeCircuitOpen, 0, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			obs := &recordingObserver{}
			rec := &recorder{reply: tt.reply}
			c := startRecorder(t, rec, append([]tanma.Option{fastRetry, tanma.WithObserver(obs)}, tt.opts...)...)
			for range tt.calls {
				_ = listDowen(t.Context(), c)
			}
			starts, infos := obs.infos()
			assert.Equal(t, len(tt.want), starts, "one StartCall per attempt")
			require.Len(t, infos, len(tt.want))
			attemptNo := 0
			for i, w := range tt.want {
				got := infos[i]
				attemptNo++
				if w.outcome == tanma.OutcomeCircuitOpen {
					attemptNo = 1 // a new logical call
					assert.Zero(t, got.Duration)
				}
				assert.Equal(t, tanma.PathListByQwUserID, got.Path)
				assert.Equal(t, attemptNo, got.Attempt, "attempt %d", i)
				assert.Equal(t, w.outcome, got.Outcome, "attempt %d", i)
				assert.Equal(t, w.code, got.Code, "attempt %d", i)
				assert.Equal(t, w.status, got.HTTPStatus, "attempt %d", i)
				assert.Contains(t, tanma.Outcomes(), got.Outcome)
			}
		})
	}
}

// TestObserverTimeoutAndCancel: attempts cut short by the client's timeout
// and by the caller leaving.
func TestObserverTimeoutAndCancel(t *testing.T) {
	t.Parallel()
	obs := &recordingObserver{}
	c, started := startBlocking(t, "", tanma.WithTimeout(20*time.Millisecond), tanma.WithRetry(2, time.Millisecond, time.Millisecond), tanma.WithObserver(obs))
	require.Error(t, listDowen(t.Context(), c))
	_, infos := obs.infos()
	require.Len(t, infos, 2)
	for i, ci := range infos {
		assert.Equal(t, tanma.OutcomeTimeout, ci.Outcome)
		assert.Equal(t, i+1, ci.Attempt)
		assert.GreaterOrEqual(t, ci.Duration, 20*time.Millisecond)
	}
	for range 2 {
		<-started
	}

	obs2 := &recordingObserver{}
	c2, started2 := startBlocking(t, "", tanma.WithObserver(obs2))
	ctx, cancel := cancelOnceStarted(t, started2)
	defer cancel()
	assert.ErrorIs(t, listDowen(ctx, c2), context.Canceled)
	require.Eventually(t, func() bool { _, in := obs2.infos(); return len(in) == 1 }, bound, time.Millisecond,
		"the shared attempt ends once its caller has left")
	_, infos = obs2.infos()
	assert.Equal(t, tanma.OutcomeCanceled, infos[0].Outcome)

	// A shared call abandoned because its caller's deadline passed timed out.
	obs3 := &recordingObserver{}
	c3, _ := startBlocking(t, "", tanma.WithObserver(obs3))
	dctx, dcancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer dcancel()
	assert.ErrorIs(t, listDowen(dctx, c3), context.DeadlineExceeded)
	require.Eventually(t, func() bool { _, in := obs3.infos(); return len(in) == 1 }, bound, time.Millisecond)
	_, infos = obs3.infos()
	assert.Equal(t, tanma.OutcomeTimeout, infos[0].Outcome)
}

// TestObserverContextReachesTheRequest: the request is made with the
// context the observer returned.
func TestObserverContextReachesTheRequest(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	srv := startServer(t, rec)
	obs := &recordingObserver{}
	c := newClient(t, srv, tanma.WithHTTPClient(&http.Client{Transport: spanHeader{srv.Client().Transport}}), tanma.WithObserver(obs))
	require.NoError(t, listDowen(t.Context(), c))
	reqs := rec.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, tanma.PathListByQwUserID, reqs[0].Header.Get("X-Span"))
}

// TestObserverNil: a nil observer is no observer.
func TestObserverNil(t *testing.T) {
	t.Parallel()
	c := startRecorder(t, &recorder{}, tanma.WithObserver(nil))
	require.NoError(t, listDowen(t.Context(), c))
}

// TestOutcomesAreClosed: the documented label values, each once.
func TestOutcomesAreClosed(t *testing.T) {
	t.Parallel()
	assert.ElementsMatch(t, []string{"ok", "error", "http_4xx", "http_5xx", "rate_limited", "transport", "timeout", "circuit_open", "bad_response", "canceled", "quota"}, tanma.Outcomes())
}
