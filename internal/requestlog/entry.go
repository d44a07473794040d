package requestlog

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Entry is what is known about one request. Its methods are safe for
// concurrent use and do nothing on a nil Entry, so code may call them
// whether or not the request came through Middleware.
type Entry struct {
	ID         string // the request id
	remoteAddr string // the client's network address (host:port)

	upstream atomic.Int64

	mu         sync.Mutex
	operation  string
	caller     string
	complexity int
	codes      []string
	retryAfter time.Duration // non-zero: answer 429 with this Retry-After
}

type ctxKey struct{}

// With returns ctx carrying e.
func With(ctx context.Context, e *Entry) context.Context { return context.WithValue(ctx, ctxKey{}, e) }

// From returns the request's entry, nil outside a request.
func From(ctx context.Context) *Entry {
	e, _ := ctx.Value(ctxKey{}).(*Entry)
	return e
}

// RequestID returns the id of the request ctx belongs to, "" outside one.
func RequestID(ctx context.Context) string {
	if e := From(ctx); e != nil {
		return e.ID
	}
	return ""
}

// RemoteAddr is the client's network address as the server saw it.
func (e *Entry) RemoteAddr() string {
	if e == nil {
		return ""
	}
	return e.remoteAddr
}

// SetOperation records the GraphQL operation name (clipped to 64 bytes).
func (e *Entry) SetOperation(name string) {
	if e == nil {
		return
	}
	if len(name) > 64 {
		name = name[:64]
	}
	e.mu.Lock()
	e.operation = name
	e.mu.Unlock()
}

// SetCaller records who made the request (an API key id or a token subject).
func (e *Entry) SetCaller(id string) {
	if e == nil {
		return
	}
	e.mu.Lock()
	e.caller = id
	e.mu.Unlock()
}

// SetComplexity records the query's cost.
func (e *Entry) SetComplexity(n int) {
	if e == nil {
		return
	}
	e.mu.Lock()
	e.complexity = n
	e.mu.Unlock()
}

// AddCode records an error code the response carries (once each).
func (e *Entry) AddCode(code string) {
	if e == nil {
		return
	}
	e.mu.Lock()
	if !slices.Contains(e.codes, code) {
		e.codes = append(e.codes, code)
	}
	e.mu.Unlock()
}

// CountUpstreamCall counts one upstream HTTP attempt.
func (e *Entry) CountUpstreamCall() {
	if e != nil {
		e.upstream.Add(1)
	}
}

// UpstreamCalls returns how many upstream attempts the request made.
func (e *Entry) UpstreamCalls() int64 {
	if e == nil {
		return 0
	}
	return e.upstream.Load()
}

// RejectWithRetryAfter makes the response an HTTP 429 with Retry-After:
// for a request the gateway's own rate limit refused.
func (e *Entry) RejectWithRetryAfter(d time.Duration) {
	if e == nil {
		return
	}
	e.mu.Lock()
	e.retryAfter = max(d, time.Second)
	e.mu.Unlock()
}

// Snapshot is a copy of an entry's fields.
type Snapshot struct {
	Operation, Caller string
	Complexity        int
	Codes             []string
	UpstreamCalls     int64
	RetryAfter        time.Duration
}

// Snapshot copies the entry.
func (e *Entry) Snapshot() Snapshot {
	if e == nil {
		return Snapshot{}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return Snapshot{Operation: e.operation, Caller: e.caller, Complexity: e.complexity,
		Codes: slices.Clone(e.codes), UpstreamCalls: e.upstream.Load(), RetryAfter: e.retryAfter}
}
