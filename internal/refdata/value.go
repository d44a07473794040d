package refdata

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Load fetches a fresh copy of a value from the upstream.
type Load[T any] func(ctx context.Context) (T, error)

// Policy sets how long a value is trusted.
type Policy struct {
	TTL      time.Duration // a value younger than this is served without asking the upstream
	MaxStale time.Duration // past TTL, a value this much older is still served while a refresh runs or after one failed
	Timeout  time.Duration // bound on one load, independent of any caller
}

// DefaultPolicy suits data that changes a few times a day.
var DefaultPolicy = Policy{TTL: 5 * time.Minute, MaxStale: time.Hour, Timeout: 10 * time.Second}

// Value is one cached reference value. Get serves it from memory while it
// is fresh; once it is older than TTL, Get still serves it (up to MaxStale)
// and refreshes it in the background, so callers never wait on a refresh.
// Only an empty or too-stale cache makes a caller wait, and concurrent
// callers then share one upstream load. A failed refresh keeps the old value
// and logs a warning.
type Value[T any] struct {
	name   string
	load   Load[T]
	policy Policy
	log    *slog.Logger
	now    func() time.Time

	mu      sync.Mutex
	val     T
	loaded  time.Time // zero: never loaded
	flights singleflight.Group
}

// NewValue returns an empty cache over load. name appears in logs.
func NewValue[T any](name string, load Load[T], p Policy, log *slog.Logger) *Value[T] {
	return &Value[T]{name: name, load: load, policy: p, log: log, now: time.Now}
}

// Get returns the value, loading it when the cache is empty or too stale.
func (v *Value[T]) Get(ctx context.Context) (T, error) {
	v.mu.Lock()
	val, loaded := v.val, v.loaded
	v.mu.Unlock()
	if !loaded.IsZero() {
		age := v.now().Sub(loaded)
		if age <= v.policy.TTL {
			return val, nil
		}
		if age <= v.policy.TTL+v.policy.MaxStale {
			v.refresh()
			return val, nil
		}
	}
	ch := v.flights.DoChan("", v.fetch)
	select {
	case r := <-ch:
		if r.Err != nil {
			var zero T
			return zero, r.Err
		}
		return r.Val.(T), nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Warm starts a load in the background unless the value is fresh, so a
// caller that will need it soon does not wait for it later.
func (v *Value[T]) Warm() {
	v.mu.Lock()
	fresh := !v.loaded.IsZero() && v.now().Sub(v.loaded) <= v.policy.TTL
	v.mu.Unlock()
	if !fresh {
		v.refresh()
	}
}

// Invalidate forgets the value: the next Get loads it again.
func (v *Value[T]) Invalidate() {
	v.mu.Lock()
	defer v.mu.Unlock()
	var zero T
	v.val, v.loaded = zero, time.Time{}
}

// refresh loads in the background; concurrent refreshes share one load.
func (v *Value[T]) refresh() { v.flights.DoChan("", v.fetch) }

// fetch runs one load on a context of its own, so no caller's cancellation
// fails the load that other callers share.
func (v *Value[T]) fetch() (any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), v.policy.Timeout)
	defer cancel()
	start := v.now()
	val, err := v.load(ctx)
	v.mu.Lock()
	defer v.mu.Unlock()
	if err != nil {
		if !v.loaded.IsZero() && start.Sub(v.loaded) <= v.policy.TTL+v.policy.MaxStale {
			v.log.Warn("reference data refresh failed: serving the cached copy", "cache", v.name,
				"age", start.Sub(v.loaded).Round(time.Second).String(), "err", err.Error())
			return v.val, nil
		}
		return nil, err
	}
	v.val, v.loaded = val, start
	return val, nil
}
