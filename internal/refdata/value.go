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
	// OnRead (may be nil) hears of every Get, for metrics: the cache's name
	// and "hit" (fresh), "stale" (served while refreshing) or "miss" (waited).
	OnRead func(cache, result string)
	// Shared (may be nil) keeps one copy of each value for every replica;
	// see newShared.
	Shared Store
	// Recheck is, with Shared, how long this replica serves its copy before
	// reading the shared one again (0: DefaultRecheck; never above TTL).
	Recheck time.Duration
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
	failed  time.Time // when the last load failed; zero after a success
	lastErr error
	loads   uint64  // loads finished, success or failure
	last    outcome // what the last one answered its callers
	rereads uint64  // Reread loads begun
	flights singleflight.Group
	// invalidate (may be nil) drops the copy other replicas share.
	invalidate func(context.Context) error
}

// outcome is what one load answered the callers that shared it.
type outcome struct {
	val any
	err error
}

// failureBackoff is how long after a failed load no new load starts: while
// the upstream fails, callers get the last error (or the stale copy) at
// once instead of each sending another call.
const failureBackoff = 5 * time.Second

// NewValue returns an empty cache over load. name appears in logs.
func NewValue[T any](name string, load Load[T], p Policy, log *slog.Logger) *Value[T] {
	return &Value[T]{name: name, load: load, policy: p, log: log, now: time.Now}
}

// Get returns the value, loading it when the cache is empty or too stale.
func (v *Value[T]) Get(ctx context.Context) (T, error) {
	seen := v.look()
	if val, ok := v.serve(ctx, seen); ok {
		return val, nil
	}
	v.read("miss")
	if !seen.failed.IsZero() && v.now().Sub(seen.failed) < failureBackoff {
		var zero T
		return zero, seen.lastErr
	}
	ch := v.flights.DoChan("", v.fetcherAfter(ctx, seen.loads))
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

// Cached returns the value when Get would answer with it at once (fresh,
// or stale and refreshing in the background, as Get does), and whether it
// would. Callers that batch waits (a dataloader holds every key for its
// batch window) skip the wait for what is already here. A refresh it starts
// is counted against ctx's request (see fetcher).
func (v *Value[T]) Cached(ctx context.Context) (T, bool) { return v.serve(ctx, v.look()) }

// snapshot is what one look at the cache saw, read under one lock so the
// decisions taken on it (serve, refresh, wait) agree with each other.
type snapshot[T any] struct {
	val            T
	loaded, failed time.Time
	lastErr        error
	loads          uint64 // loads finished when it was taken
}

func (v *Value[T]) look() snapshot[T] {
	v.mu.Lock()
	defer v.mu.Unlock()
	return snapshot[T]{val: v.val, loaded: v.loaded, failed: v.failed, lastErr: v.lastErr, loads: v.loads}
}

// serve answers from what s saw, when Get may answer at once: fresh, or
// stale and refreshing (a refresh starts unless the last load failed
// recently, or a load finished since s was taken).
func (v *Value[T]) serve(ctx context.Context, s snapshot[T]) (T, bool) {
	if s.loaded.IsZero() {
		return s.val, false
	}
	age := v.now().Sub(s.loaded)
	switch {
	case age <= v.policy.TTL:
		v.read("hit")
		return s.val, true
	case age <= v.policy.TTL+v.policy.MaxStale:
		v.read("stale")
		if s.failed.IsZero() || v.now().Sub(s.failed) >= failureBackoff {
			v.flights.DoChan("", v.fetcherAfter(ctx, s.loads))
		}
		return s.val, true
	}
	return s.val, false
}

// Refresh loads the value from the upstream now, and makes every replica
// sharing it (Policy.Shared) load the new copy within Policy.Recheck. It is
// the one way to refresh reference data before its TTL: call it after a
// change to it, such as a new tag.
func (v *Value[T]) Refresh(ctx context.Context) error {
	if v.invalidate != nil {
		if err := v.invalidate(ctx); err != nil {
			v.log.Warn("reference data refresh: other replicas keep their copy until its TTL", "cache", v.name, "err", err.Error())
		}
	}
	return v.Reread(ctx)
}

// Reread loads the value again now, without dropping the shared copy:
// after a Refresh on another replica, this replica's reload reads the copy
// that replica just shared (no upstream call); without a shared store it
// loads from the upstream.
//
// Concurrent calls share one load, but never one begun before the call: it
// may have read the value as it was before the change the call is about
// (two tag library changes in a row would leave the first's library).
func (v *Value[T]) Reread(ctx context.Context) error {
	v.mu.Lock()
	after := v.rereads
	v.mu.Unlock()
	for {
		select {
		case r := <-v.flights.DoChan("refresh", func() (any, error) {
			v.mu.Lock()
			v.rereads++
			began := v.rereads
			v.mu.Unlock()
			_, err := v.reload(ctx)
			return began, err
		}):
			if began, _ := r.Val.(uint64); began > after {
				return r.Err
			}
			// That load began before this call: load again (or join one
			// begun since).
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// reload is fetch for Refresh: a failure is an error even when a stale
// copy is kept.
func (v *Value[T]) reload(ctx context.Context) (any, error) {
	if _, err := v.fetcher(ctx)(); err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return nil, v.lastErr
}

func (v *Value[T]) read(result string) {
	if v.policy.OnRead != nil {
		v.policy.OnRead(v.name, result)
	}
}

// fetcher returns one load of the value on a context of its own, so no
// caller's cancellation fails the load that other callers share; it keeps
// the values of ctx, the context of the request that started it, so the
// upstream calls it makes are counted in that request's log line and
// traced under its span.
func (v *Value[T]) fetcher(ctx context.Context) func() (any, error) {
	return func() (any, error) { return v.fetch(context.WithoutCancel(ctx)) }
}

// fetcherAfter is fetcher for a caller that found the cache empty or stale
// when seen loads had finished. Between that look and its joining a flight,
// the flight it would have joined may have ended: it then takes that load's
// outcome instead of sending another call (a redundant load would also
// store a value newer than the one its callers were answered with).
func (v *Value[T]) fetcherAfter(ctx context.Context, seen uint64) func() (any, error) {
	load := v.fetcher(ctx)
	return func() (any, error) {
		v.mu.Lock()
		if v.loads != seen {
			last := v.last
			v.mu.Unlock()
			return last.val, last.err
		}
		v.mu.Unlock()
		return load()
	}
}

// fetch runs one load under the policy's timeout.
func (v *Value[T]) fetch(parent context.Context) (any, error) {
	ctx, cancel := context.WithTimeout(parent, v.policy.Timeout)
	defer cancel()
	start := v.now()
	val, err := v.load(ctx)
	v.mu.Lock()
	defer v.mu.Unlock()
	v.loads++
	v.last = v.store(start, val, err)
	return v.last.val, v.last.err
}

// store keeps what one load that began at start brought back and returns
// the load's outcome; v.mu is held.
func (v *Value[T]) store(start time.Time, val T, err error) outcome {
	if err != nil {
		v.failed, v.lastErr = v.now(), err
		if !v.loaded.IsZero() && start.Sub(v.loaded) <= v.policy.TTL+v.policy.MaxStale {
			v.log.Warn("reference data refresh failed: serving the cached copy", "cache", v.name,
				"age", start.Sub(v.loaded).Round(time.Second).String(), "err", err.Error())
			return outcome{val: v.val}
		}
		return outcome{err: err}
	}
	if start.Before(v.loaded) {
		// A load that began later (a Refresh) has already stored a newer copy.
		return outcome{val: v.val}
	}
	v.val, v.loaded, v.failed, v.lastErr = val, start, time.Time{}, nil
	return outcome{val: val}
}
