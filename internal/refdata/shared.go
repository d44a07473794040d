package refdata

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Store keeps one copy of each reference value for every replica of the
// gateway (Redis, see internal/redisstore), so the fleet asks the upstream once
// per TTL. A nil Store keeps values in this process only.
type Store interface {
	// Load returns the shared copy of name, calling fetch when there is none
	// (once for the whole fleet, as far as the store can arrange) and
	// sharing its result for ttl. It fails with ErrUnshared when the store
	// cannot answer: the replica then keeps its own copy for ttl.
	Load(ctx context.Context, name string, ttl time.Duration, fetch func(context.Context) ([]byte, error)) ([]byte, error)
	// Invalidate drops the shared copy of name: every replica's next load
	// fetches a fresh one.
	Invalidate(ctx context.Context, name string) error
}

// ErrUnshared is what a Store answers when it cannot be reached.
var ErrUnshared = errors.New("refdata: the shared store does not answer")

// DefaultRecheck is how long a replica serves its copy of a shared value
// before it reads the shared one again (Policy.Recheck).
const DefaultRecheck = 10 * time.Second

// newShared returns a Value built by build from what fetch reads from the
// upstream. With p.Shared, what fetch read travels through the store as
// JSON, and this replica re-reads the shared copy every p.Recheck (a cheap
// read that asks the upstream nothing unless the shared copy has expired),
// so a refresh on one replica reaches the others within Recheck. While the
// store does not answer, the replica keeps the last copy it had for TTL, as
// it would without a store.
func newShared[R, T any](name string, fetch Load[R], build func(R) T, p Policy, log *slog.Logger) *Value[T] {
	if p.Shared == nil {
		return NewValue(name, func(ctx context.Context) (T, error) {
			r, err := fetch(ctx)
			if err != nil {
				var zero T
				return zero, err
			}
			return build(r), nil
		}, p, log)
	}
	store, ttl := p.Shared, p.TTL
	local := p
	local.TTL = min(p.TTL, cmp.Or(p.Recheck, DefaultRecheck))
	local.MaxStale = p.MaxStale + p.TTL - local.TTL // the shared copy may be up to TTL old
	own := &ownCopy[T]{}
	fetchJSON := func(ctx context.Context) ([]byte, error) {
		r, err := fetch(ctx)
		if err != nil {
			return nil, err
		}
		return json.Marshal(r)
	}
	v := NewValue(name, func(ctx context.Context) (T, error) {
		var r R
		data, err := store.Load(ctx, name, ttl, fetchJSON)
		switch {
		case errors.Is(err, ErrUnshared):
			if val, ok := own.get(ttl); ok {
				return val, nil
			}
			r, err = fetch(ctx)
		case err == nil:
			if jerr := json.Unmarshal(data, &r); jerr != nil {
				// A copy this release cannot read: load from the upstream.
				log.Warn("shared copy unreadable: loading from the upstream", "value", name, "err", jerr.Error())
				r, err = fetch(ctx)
			}
		}
		if err != nil {
			var zero T
			return zero, err
		}
		val := build(r)
		own.set(val)
		return val, nil
	}, local, log)
	v.invalidate = func(ctx context.Context) error {
		own.clear()
		return store.Invalidate(ctx, name)
	}
	return v
}

// ownCopy is the last copy a replica had of a shared value, and when it got
// it: what it serves while the store does not answer.
type ownCopy[T any] struct {
	mu  sync.Mutex
	val T
	at  time.Time
}

func (o *ownCopy[T]) get(ttl time.Duration) (T, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.val, !o.at.IsZero() && time.Since(o.at) < ttl
}

func (o *ownCopy[T]) set(val T) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.val, o.at = val, time.Now()
}

func (o *ownCopy[T]) clear() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.at = time.Time{}
}
