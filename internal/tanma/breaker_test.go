package tanma_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// switchable answers with fail while failing is set, else with a success.
type switchable struct {
	failing atomic.Bool
	fail    func(http.ResponseWriter, *http.Request, int)
}

func (s *switchable) reply(w http.ResponseWriter, r *http.Request, n int) {
	if s.failing.Load() {
		s.fail(w, r, n)
		return
	}
	answer(200, okEmpty)(w, r, n)
}

func listDowen(ctx context.Context, c *tanma.Client) error {
	_, err := c.ListCustomersByQwUserID(ctx, tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})
	return err
}

// TestBreakerLifecycle: five failures open the circuit, calls then fail
// fast without reaching the upstream, after openFor one probe goes through
// and its success closes the circuit.
func TestBreakerLifecycle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fail func(http.ResponseWriter, *http.Request, int)
	}{
		{"http 500", answer(500, ``)},
		{"http 429", answer(429, ``)},
		{"connection closed", hangUp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			up := &switchable{fail: tt.fail}
			up.failing.Store(true)
			rec := &recorder{reply: up.reply}
			const openFor = 50 * time.Millisecond
			c := startRecorder(t, rec, tanma.WithRetry(1, 0, 0), tanma.WithBreaker(5, openFor))
			ctx := t.Context()

			for i := range 5 {
				err := listDowen(ctx, c)
				require.Error(t, err)
				assert.NotErrorIs(t, err, tanma.ErrCircuitOpen, "call %d still reaches the upstream", i+1)
			}
			assert.Len(t, rec.requests(), 5)
			assert.Equal(t, map[string]string{tanma.PathListByQwUserID: "open"}, c.CircuitStates())

			start := time.Now()
			for range 10 {
				err := listDowen(ctx, c)
				assertSentinels(t, err, tanma.ErrUnavailable, tanma.ErrCircuitOpen)
				var apiErr *tanma.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tanma.PathListByQwUserID, apiErr.Endpoint)
				assert.LessOrEqual(t, apiErr.RetryAfter, openFor)
			}
			assert.Less(t, time.Since(start), openFor, "fails fast")
			assert.Len(t, rec.requests(), 5, "no request while open")

			time.Sleep(openFor + 10*time.Millisecond)
			assert.Equal(t, "half-open", c.CircuitStates()[tanma.PathListByQwUserID])
			up.failing.Store(false)
			require.NoError(t, listDowen(ctx, c), "the probe goes through")
			assert.Len(t, rec.requests(), 6)
			assert.Equal(t, "closed", c.CircuitStates()[tanma.PathListByQwUserID])
			require.NoError(t, listDowen(ctx, c))
		})
	}
}

// TestBreakerProbeFailureReopens: a failed probe opens the circuit again.
func TestBreakerProbeFailureReopens(t *testing.T) {
	t.Parallel()
	rec := &recorder{reply: answer(503, ``)}
	const openFor = 30 * time.Millisecond
	c := startRecorder(t, rec, tanma.WithRetry(1, 0, 0), tanma.WithBreaker(2, openFor))
	ctx := t.Context()
	for range 2 {
		require.Error(t, listDowen(ctx, c))
	}
	assert.ErrorIs(t, listDowen(ctx, c), tanma.ErrCircuitOpen)
	time.Sleep(openFor + 10*time.Millisecond)

	err := listDowen(ctx, c)
	assert.NotErrorIs(t, err, tanma.ErrCircuitOpen, "the probe")
	assert.Len(t, rec.requests(), 3)
	assert.Equal(t, "open", c.CircuitStates()[tanma.PathListByQwUserID])
	assert.ErrorIs(t, listDowen(ctx, c), tanma.ErrCircuitOpen)
	assert.Len(t, rec.requests(), 3)
}

// TestBreakerIgnoresBusinessErrors: answers that say the request was wrong,
// not that the upstream is unwell, never open the circuit.
func TestBreakerIgnoresBusinessErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		reply func(http.ResponseWriter, *http.Request, int)
	}{
		{"validation", answer(200, `{"code":400,"message":"请求参数验证失败：x"}`)},
		{"signature rejected", answer(200, `{"code":1002,"message":"签名校验未通过"}`)},
		{"clock skew", answer(200, `{"code":1003,"message":"x"}`)},
		{"http 404", answer(404, ``)},
		{"bad json", answer(200, `{`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{reply: tt.reply}
			c := startRecorder(t, rec, tanma.WithBreaker(2, time.Hour))
			for range 6 {
				err := listDowen(t.Context(), c)
				require.Error(t, err)
				assert.NotErrorIs(t, err, tanma.ErrCircuitOpen)
			}
			assert.Equal(t, "closed", c.CircuitStates()[tanma.PathListByQwUserID])
		})
	}
}

// TestBreakerIgnoresCallersLeaving: calls abandoned by their callers say
// nothing about the upstream.
func TestBreakerIgnoresCallersLeaving(t *testing.T) {
	t.Parallel()
	c, started := startBlocking(t, "", tanma.WithBreaker(2, time.Hour))
	for range 4 {
		ctx, cancel := cancelOnceStarted(t, started)
		assert.ErrorIs(t, listDowen(ctx, c), context.Canceled)
		cancel()
	}
	assert.Equal(t, "closed", c.CircuitStates()[tanma.PathListByQwUserID])
}

// TestBreakerCallsCutShort: a call its callers' deadline cut while the
// upstream had not answered is evidence the upstream hangs and counts as a
// failure, shared or not, read or write, so a hung upstream opens the
// circuit; a call its callers cancelled (a client that went away) says
// nothing about the upstream and does not count.
func TestBreakerCallsCutShort(t *testing.T) {
	t.Parallel()
	deadline := func(t *testing.T, _ <-chan struct{}) (context.Context, context.CancelFunc) {
		return context.WithTimeout(t.Context(), 30*time.Millisecond)
	}
	read := listDowen
	write := func(ctx context.Context, c *tanma.Client) error {
		return c.DoWrite(ctx, tanma.PathListByQwUserID, map[string]string{"qwUserId": "dowen"}, nil)
	}
	tests := []struct {
		name  string
		ctx   func(*testing.T, <-chan struct{}) (context.Context, context.CancelFunc)
		call  func(context.Context, *tanma.Client) error
		cause error
		opens bool
	}{
		{"read cut by the deadline", deadline, read, context.DeadlineExceeded, true},
		{"write cut by the deadline", deadline, write, context.DeadlineExceeded, true},
		{"read cancelled by its caller", cancelOnceStarted, read, context.Canceled, false},
		{"write cancelled by its caller", cancelOnceStarted, write, context.Canceled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The attempt's own timeout is far longer than the deadline:
			// only the callers' context ends these calls.
			c, started := startBlocking(t, "", tanma.WithTimeout(time.Minute), tanma.WithBreaker(2, time.Hour))
			for range 2 {
				ctx, cancel := tt.ctx(t, started)
				err := tt.call(ctx, c)
				cancel()
				assert.ErrorIs(t, err, tt.cause)
				assert.NotErrorIs(t, err, tanma.ErrCircuitOpen)
			}
			// A shared call reaches its verdict on its own goroutine, just
			// after its last caller left.
			state := func() string { return c.CircuitStates()[tanma.PathListByQwUserID] }
			if !tt.opens {
				time.Sleep(50 * time.Millisecond)
				assert.Equal(t, "closed", state())
				return
			}
			require.Eventually(t, func() bool { return state() == "open" }, bound, time.Millisecond)
			ctx, cancel := context.WithTimeout(t.Context(), bound)
			defer cancel()
			start := time.Now()
			err := tt.call(ctx, c)
			assertSentinels(t, err, tanma.ErrUnavailable, tanma.ErrCircuitOpen)
			assert.Less(t, time.Since(start), bound/2, "fails fast")
		})
	}
}

// TestBreakerCountsCallsNotAttempts: a call counts once, however many
// attempts it made, so with three attempts per call it takes five failed
// calls (fifteen requests) to trip a breaker of five, and a call whose retry
// succeeds counts as a success.
func TestBreakerCountsCallsNotAttempts(t *testing.T) {
	t.Parallel()
	rec := &recorder{reply: answer(500, ``)}
	c := startRecorder(t, rec, fastRetry, tanma.WithBreaker(5, time.Hour))
	for i := range 5 {
		assert.NotErrorIs(t, listDowen(t.Context(), c), tanma.ErrCircuitOpen, "call %d", i+1)
	}
	assert.Len(t, rec.requests(), 15)
	err := listDowen(t.Context(), c)
	assertSentinels(t, err, tanma.ErrUnavailable, tanma.ErrCircuitOpen)
	assert.Len(t, rec.requests(), 15, "the sixth call fails fast")

	flaky := &recorder{reply: func(w http.ResponseWriter, r *http.Request, n int) {
		if n%3 != 0 { // two failed attempts, then a success, call after call
			answer(500, ``)(w, r, n)
			return
		}
		answer(200, okEmpty)(w, r, n)
	}}
	c = startRecorder(t, flaky, fastRetry, tanma.WithBreaker(2, time.Hour))
	for i := range 4 {
		require.NoError(t, listDowen(t.Context(), c), "call %d", i+1)
	}
	assert.Equal(t, "closed", c.CircuitStates()[tanma.PathListByQwUserID])
}

// TestBreakerPerPath: one endpoint's open circuit leaves the others alone.
func TestBreakerPerPath(t *testing.T) {
	t.Parallel()
	rec := &recorder{reply: func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == tanma.PathListByQwUserID {
			answer(500, ``)(w, r, n)
			return
		}
		answer(200, `{"code":0,"data":[]}`)(w, r, n)
	}}
	c := startRecorder(t, rec, tanma.WithRetry(1, 0, 0), tanma.WithBreaker(1, time.Hour))

	assert.Empty(t, c.CircuitStates())
	require.Error(t, listDowen(t.Context(), c))
	_, err := c.ListTagTree(t.Context())
	require.NoError(t, err)
	assert.ErrorIs(t, listDowen(t.Context(), c), tanma.ErrCircuitOpen)
	assert.Equal(t, map[string]string{tanma.PathListByQwUserID: "open", tanma.PathTagTree: "closed"}, c.CircuitStates())
}

// TestBreakerDisabled: WithBreaker(0, ...) never fails fast.
func TestBreakerDisabled(t *testing.T) {
	t.Parallel()
	rec := &recorder{reply: answer(500, ``)}
	c := startRecorder(t, rec, tanma.WithRetry(1, 0, 0), tanma.WithBreaker(0, 0))
	for range 12 {
		assert.NotErrorIs(t, listDowen(t.Context(), c), tanma.ErrCircuitOpen)
	}
	assert.Len(t, rec.requests(), 12)
	assert.Empty(t, c.CircuitStates())
}
