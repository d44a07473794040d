package tanma

import (
	"context"
	"sync"
	"time"
)

// flights shares identical read calls in flight at once: same path, same
// body bytes, one upstream call.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

// flight is one shared call and the callers waiting for it.
type flight struct {
	done    chan struct{} // closed once res is set
	res     result
	cancel  context.CancelCauseFunc
	waiters int       // callers still waiting; guarded by flights.mu
	latest  time.Time // the latest deadline of any caller that joined
	open    bool      // some caller joined without a deadline
}

type afterWriteKey struct{}

// ReadAfterWrite marks ctx for reads that must not join an identical call already in
// flight, which may have been answered before a write the caller just
// made: such a read starts its own call (and later identical reads join
// that one).
func ReadAfterWrite(ctx context.Context) context.Context {
	return context.WithValue(ctx, afterWriteKey{}, true)
}

// shared runs a read call, joining an identical one already in flight
// (unless ctx is marked ReadAfterWrite). The
// call runs detached from any one caller (context.WithoutCancel of the first
// caller's context, keeping its values), is cancelled when its last waiter
// leaves, and plans its retries against the latest deadline of its callers.
// Each caller waits under its own ctx and leaves with ctx's error when it
// ends first.
func (c *Client) shared(ctx context.Context, path string, raw []byte) result {
	if err := ctx.Err(); err != nil {
		return result{err: &APIError{Endpoint: path, Err: err}}
	}
	key := path + "\x00" + string(raw)
	g := c.inFlight
	g.mu.Lock()
	f := g.m[key]
	if f == nil || ctx.Value(afterWriteKey{}) != nil {
		runCtx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
		f = &flight{done: make(chan struct{}), cancel: cancel}
		g.m[key] = f
		go g.fly(key, f, func() result { return c.guarded(runCtx, path, raw, false, g.deadline(f)) })
	}
	f.waiters++
	if dl, ok := ctx.Deadline(); !ok {
		f.open = true
	} else if dl.After(f.latest) {
		f.latest = dl
	}
	g.mu.Unlock()

	select {
	case <-f.done:
		return f.res
	case <-ctx.Done():
		g.leave(key, f, ctx.Err())
		return result{err: &APIError{Endpoint: path, Err: ctx.Err()}}
	}
}

// fly runs the shared call and hands its result to the waiters.
func (g *flights) fly(key string, f *flight, call func() result) {
	res := call()
	g.mu.Lock()
	if g.m[key] == f {
		delete(g.m, key) // later callers start afresh
	}
	g.mu.Unlock()
	f.res = res
	close(f.done)
	f.cancel(nil)
}

// leave drops a waiter that gave up with why; the last one to leave
// cancels the call with that cause (so an attempt cut short by the callers'
// deadlines is reported as a timeout, not a cancellation).
func (g *flights) leave(key string, f *flight, why error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f.waiters--
	if f.waiters > 0 {
		return
	}
	if g.m[key] == f {
		delete(g.m, key) // nobody may join a call being cancelled
	}
	f.cancel(why)
}

// deadline returns f's deadline: the latest of its callers', none when one
// of them has none.
func (g *flights) deadline(f *flight) deadlineFunc {
	return func() (time.Time, bool) {
		g.mu.Lock()
		defer g.mu.Unlock()
		if f.open || f.latest.IsZero() {
			return time.Time{}, false
		}
		return f.latest, true
	}
}
