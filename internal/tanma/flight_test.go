package tanma_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// gate is an upstream whose answers wait until it is opened; each request
// reports on reached, and on cancelled if its context ends first.
type gate struct {
	rec       *recorder
	open      chan struct{}
	once      sync.Once
	reached   chan struct{}
	cancelled chan struct{}
}

// startGate serves a gate answering body until the test ends (it is opened
// before the server closes) and returns it with a client.
func startGate(t *testing.T, body string, opts ...tanma.Option) (*gate, *tanma.Client) {
	t.Helper()
	g := &gate{open: make(chan struct{}), reached: make(chan struct{}, 64), cancelled: make(chan struct{}, 64)}
	g.rec = &recorder{reply: func(w http.ResponseWriter, r *http.Request, n int) {
		g.reached <- struct{}{}
		select {
		case <-g.open:
			answer(200, body)(w, r, n)
		case <-r.Context().Done():
			g.cancelled <- struct{}{}
		}
	}}
	c := startRecorder(t, g.rec, opts...)
	t.Cleanup(g.release) // runs before the server closes
	return g, c
}

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

// waitFor waits until n callers wait on shared calls.
func waitFor(t *testing.T, c *tanma.Client, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return tanma.Waiting(c) == n }, bound, time.Millisecond, "callers waiting")
}

const sharedPage = `{"code":0,"message":"ok","data":{"list":[{"customerId":398604120668224,"tagIds":["a"],"fields":[{"field":"name","type":1,"valueAsText":"x"}]}],"nextCursor":"next"}}`

// TestSharedIdenticalReads: twenty identical reads at once make one upstream
// call; each caller gets an equal result of its own.
func TestSharedIdenticalReads(t *testing.T) {
	t.Parallel()
	const n = 20
	g, c := startGate(t, sharedPage)
	req := tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100}
	pages := make([]tanma.CustomerPage, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { pages[i], errs[i] = c.ListCustomersByQwUserID(t.Context(), req) })
	}
	waitFor(t, c, n)
	g.release()
	wg.Wait()

	assert.Len(t, g.rec.requests(), 1, "one upstream call")
	for i := range n {
		require.NoError(t, errs[i])
		assert.Equal(t, pages[0], pages[i])
	}
	pages[0].List[0].TagIDs[0] = "changed"
	pages[0].List[0].Fields[0].Field = "changed"
	assert.Equal(t, "a", pages[1].List[0].TagIDs[0], "callers do not share decoded values")
	assert.Equal(t, "name", pages[1].List[0].Fields[0].Field)

	_, err := c.ListCustomersByQwUserID(t.Context(), req)
	require.NoError(t, err)
	assert.Len(t, g.rec.requests(), 2, "a later call is not served from the finished one")
}

// TestSharedErrorsAreCopies: callers sharing a failed call each get their
// own error value.
func TestSharedErrorsAreCopies(t *testing.T) {
	t.Parallel()
	g, c := startGate(t, `{"code":400,"message":"请求参数验证失败：x"}`)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() { errs[i] = listDowen(t.Context(), c) })
	}
	waitFor(t, c, 2)
	g.release()
	wg.Wait()
	var a, b *tanma.APIError
	require.ErrorAs(t, errs[0], &a)
	require.ErrorAs(t, errs[1], &b)
	assert.NotSame(t, a, b)
	assert.Equal(t, *a, *b)
	assert.Len(t, g.rec.requests(), 1)
}

// TestSharedCallerLeaving: a caller whose context ends returns at once; the
// shared call goes on for the others.
func TestSharedCallerLeaving(t *testing.T) {
	t.Parallel()
	g, c := startGate(t, sharedPage)
	first, cancel := context.WithCancel(t.Context())
	defer cancel()
	firstErr := make(chan error, 1)
	go func() { firstErr <- listDowen(first, c) }() // it starts the shared call
	<-g.reached
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() { errs[i] = listDowen(t.Context(), c) })
	}
	waitFor(t, c, 4)

	cancel()
	select {
	case err := <-firstErr:
		assert.ErrorIs(t, err, context.Canceled)
		var apiErr *tanma.APIError
		assert.ErrorAs(t, err, &apiErr)
	case <-time.After(bound):
		t.Fatal("a cancelled caller still waits")
	}
	waitFor(t, c, 3)
	g.release()
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	assert.Len(t, g.rec.requests(), 1)
	assert.Empty(t, g.cancelled, "the upstream call was not cancelled")
}

// TestSharedCallCancelledWhenAllLeave: once every caller has gone, the
// upstream request is cancelled.
func TestSharedCallCancelledWhenAllLeave(t *testing.T) {
	t.Parallel()
	g, c := startGate(t, sharedPage)
	ctx, cancel := context.WithCancel(t.Context())
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		// Different contexts, one cancel: each leaves on its own.
		cctx, ccancel := context.WithCancel(ctx)
		defer ccancel()
		wg.Go(func() { errs[i] = listDowen(cctx, c) })
	}
	waitFor(t, c, 3)
	<-g.reached
	cancel()
	wg.Wait()
	for _, err := range errs {
		assert.ErrorIs(t, err, context.Canceled)
	}
	select {
	case <-g.cancelled:
	case <-time.After(bound):
		t.Fatal("the upstream request was not cancelled")
	}
	assert.Len(t, g.rec.requests(), 1, "not retried once everyone left")
	assert.Zero(t, tanma.Waiting(c))

	// The next identical call starts afresh rather than joining the cancelled one.
	g.release()
	require.NoError(t, listDowen(t.Context(), c))
	assert.Len(t, g.rec.requests(), 2)
}

// TestSharedOnlyIdenticalBodies: reads differing in path or body bytes are
// separate upstream calls.
func TestSharedOnlyIdenticalBodies(t *testing.T) {
	t.Parallel()
	const n = 5
	g, c := startGate(t, `{"code":0,"data":null}`)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: fmt.Sprint("user", i), Size: 100})
			assert.NoError(t, err)
		})
		wg.Go(func() {
			_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: fmt.Sprint("user", i), Size: 100})
			assert.NoError(t, err)
		})
	}
	wg.Go(func() {
		assert.NoError(t, c.Do(t.Context(), tanma.PathSearchCustomers, tanma.ListByQwUserIDRequest{QwUserID: "user0", Size: 100}, nil))
	})
	waitFor(t, c, 2*n+1)
	g.release()
	wg.Wait()
	assert.Len(t, g.rec.requests(), n+1, "one call per distinct path and body")
}

// TestFreshReadDoesNotJoin: a ReadAfterWrite read (after a write) starts its own
// call instead of joining one already in flight, and a later identical read
// joins the fresh one.
func TestFreshReadDoesNotJoin(t *testing.T) {
	t.Parallel()
	g, c := startGate(t, sharedPage)
	req := tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100}
	var wg sync.WaitGroup
	wg.Go(func() { _, _ = c.ListCustomersByQwUserID(t.Context(), req) }) // began before the write
	<-g.reached
	wg.Go(func() { _, _ = c.ListCustomersByQwUserID(tanma.ReadAfterWrite(t.Context()), req) })
	<-g.reached // a second upstream request: it did not join the first
	wg.Go(func() { _, _ = c.ListCustomersByQwUserID(t.Context(), req) })
	waitFor(t, c, 2) // the fresh call and the one that joined it
	g.release()
	wg.Wait()
	assert.Len(t, g.rec.requests(), 2, "the fresh read made its own call; the third joined it")
}
