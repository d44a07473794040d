package refdata

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"
)

// Store keeps one copy of each reference value for every replica of the
// gateway (Redis, see internal/shared), so the fleet asks the upstream once
// per TTL. A nil Store keeps values in this process only.
type Store interface {
	// Load returns the shared copy of name, calling fetch when there is none
	// (once for the whole fleet, as far as the store can arrange) and
	// sharing its result for ttl.
	Load(ctx context.Context, name string, ttl time.Duration, fetch func(context.Context) ([]byte, error)) ([]byte, error)
	// Invalidate drops the shared copy of name: every replica's next load
	// fetches a fresh one.
	Invalidate(ctx context.Context, name string) error
}

// DefaultRecheck is how long a replica serves its copy of a shared value
// before it reads the shared one again (Policy.Recheck).
const DefaultRecheck = 10 * time.Second

// newShared returns a Value built by build from what fetch reads from the
// upstream. With p.Shared, what fetch read travels through the store as
// JSON, and this replica re-reads the shared copy every p.Recheck (a cheap
// read that asks the upstream nothing unless the shared copy has expired),
// so a refresh on one replica reaches the others within Recheck.
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
	v := NewValue(name, func(ctx context.Context) (T, error) {
		var zero T
		data, err := store.Load(ctx, name, ttl, func(ctx context.Context) ([]byte, error) {
			r, err := fetch(ctx)
			if err != nil {
				return nil, err
			}
			return json.Marshal(r)
		})
		if err != nil {
			return zero, err
		}
		var r R
		if err := json.Unmarshal(data, &r); err != nil {
			return zero, fmt.Errorf("shared copy of %s: %w", name, err)
		}
		return build(r), nil
	}, local, log)
	v.invalidate = func(ctx context.Context) error { return store.Invalidate(ctx, name) }
	return v
}
