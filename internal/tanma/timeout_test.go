package tanma_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// bound is how long a call that should give up after ~50ms may take at most
// (generous for -race on a loaded machine; a hang is what it catches).
const bound = 3 * time.Second

// startBlocking serves a handler that, after writing prefix (nothing when
// empty: not even the status line), blocks until the client goes away or the
// test ends. started receives once per request that reached the handler.
func startBlocking(t *testing.T, prefix string, opts ...tanma.Option) (c *tanma.Client, started <-chan struct{}) {
	t.Helper()
	release := make(chan struct{})
	reached := make(chan struct{}, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		if prefix != "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, prefix)
			w.(http.Flusher).Flush()
		}
		reached <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	// Cleanups run last-in first-out: release the handlers, then close.
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return newClient(t, srv, opts...), reached
}

// cancelOnceStarted is a context of the test that is cancelled as soon as
// the upstream of startBlocking holds a request (started fires): a caller
// leaving after its request went out. Call cancel when done with it.
func cancelOnceStarted(t *testing.T, started <-chan struct{}) (context.Context, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		select {
		case <-started:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

func TestClientTimeout(t *testing.T) {
	t.Parallel()
	c, _ := startBlocking(t, "", tanma.WithTimeout(50*time.Millisecond))

	start := time.Now()
	_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})
	elapsed := time.Since(start)

	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assertSentinels(t, err, tanma.ErrUnavailable)
	assert.GreaterOrEqual(t, elapsed, 50*time.Millisecond)
	assert.Less(t, elapsed, bound)
	assertNoLeak(t, err, nil)
}

// TestClientCallerDeadline: the caller's deadline, shorter than the
// client's own timeout, ends the call.
func TestClientCallerDeadline(t *testing.T) {
	t.Parallel()
	c, _ := startBlocking(t, "")
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()

	start := time.Now()
	err := c.Do(ctx, tanma.PathSearchCustomers, tanma.SearchRequest{PageNo: 1, PageSize: 1}, nil)

	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, tanma.ErrUnavailable)
	assert.Less(t, time.Since(start), bound)
}

func TestClientCancel(t *testing.T) {
	t.Parallel()
	c, started := startBlocking(t, "")
	ctx, cancel := cancelOnceStarted(t, started)
	defer cancel()

	start := time.Now()
	_, err := c.ListCustomersByQwUserID(ctx, tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})

	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), bound)
	var apiErr *tanma.APIError
	assert.ErrorAs(t, err, &apiErr)
}

// TestClientCancelledBeforeCall: with a rate limit in place, a cancelled
// context is reported as such and nothing is sent.
func TestClientCancelledBeforeCall(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := startRecorder(t, rec, tanma.WithRateLimit(1, 1))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	err := c.Do(ctx, tanma.PathSearchCustomers, tanma.SearchRequest{PageNo: 1, PageSize: 1}, nil)

	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, rec.requests())
}

// TestClientTimeoutMidBody: an upstream that sends its status line and then
// stalls is as unavailable as one that never answers.
func TestClientTimeoutMidBody(t *testing.T) {
	t.Parallel()
	c, _ := startBlocking(t, `{"code":0,"message":"ok","data":{"list":[`, tanma.WithTimeout(50*time.Millisecond))

	start := time.Now()
	_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})

	require.Error(t, err)
	assert.Less(t, time.Since(start), bound)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assertSentinels(t, err, tanma.ErrUnavailable)
}
