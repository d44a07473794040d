package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tanma-gql/gateway/internal/refdata"
)

// RefStore keeps one copy of each reference value (field definitions, tag
// library, staff directory) in Redis for every replica, under a version
// key: Invalidate bumps the version, so every replica's next load misses
// and one of them fetches a fresh copy. On a miss one replica takes a lock
// and fetches from the upstream; the others wait for its copy, and fetch
// themselves only when it is slow or fails. When Redis does not answer,
// Load fails with refdata.ErrUnshared and each replica keeps its own copy.
type RefStore struct {
	store    *Store
	lockWait time.Duration // how long a replica waits for another's load
}

var _ refdata.Store = (*RefStore)(nil)

// Timing of the fleet-wide load.
const (
	lockTTL        = 15 * time.Second      // a lock outlives a load (TANMA_TIMEOUT and retries) and no more
	lockWait       = 3 * time.Second       // then the waiter tries to take the lock itself
	maxLockRounds  = 3                     // then it fetches for itself
	lockPollPeriod = 20 * time.Millisecond // how often a waiter looks for the copy
)

// refFormat is in every shared copy's key: a release that changes what is
// stored bumps it, so replicas of two releases never read each other's
// copies during a rolling update.
const refFormat = "v1"

// RefStore returns the shared reference-data store.
func (s *Store) RefStore() *RefStore { return &RefStore{store: s, lockWait: lockWait} }

// unlock deletes a lock only if it is still ours (it may have expired and
// been taken by another replica).
var unlock = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// Load implements refdata.Store.
func (r *RefStore) Load(ctx context.Context, name string, ttl time.Duration, fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	s := r.store
	if !s.usable() {
		return nil, refdata.ErrUnshared
	}
	version, err := s.rdb.Get(ctx, s.key("ref:"+name+":version")).Result()
	if errors.Is(err, redis.Nil) {
		version, err = "0", nil
	}
	if s.record(ctx, err) != nil {
		return nil, refdata.ErrUnshared
	}
	dataKey := s.key("ref:" + refFormat + ":" + name + ":" + version)
	lockKey, token := dataKey+":lock", newToken()
	// A waiter whose lock holder failed (its lock gone, no copy) takes the
	// lock in turn rather than every waiter fetching at once; one still
	// without a copy after maxLockRounds fetches for itself.
	for range maxLockRounds {
		if data, ok := r.get(ctx, dataKey); ok {
			return data, nil
		}
		won, err := s.rdb.SetNX(ctx, lockKey, token, lockTTL).Result()
		if s.record(ctx, err) != nil {
			return nil, refdata.ErrUnshared
		}
		if won {
			defer func() {
				_ = s.record(ctx, unlock.Run(context.WithoutCancel(ctx), s.rdb, []string{lockKey}, token).Err())
			}()
			return r.fetchAndPut(ctx, dataKey, ttl, fetch)
		}
		if data, ok := r.await(ctx, dataKey, lockKey); ok {
			return data, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return r.fetchAndPut(ctx, dataKey, ttl, fetch)
}

// Invalidate implements refdata.Store: the next load of name, on any
// replica, misses and fetches a fresh copy.
func (r *RefStore) Invalidate(ctx context.Context, name string) error {
	s := r.store
	return s.record(ctx, s.rdb.Incr(ctx, s.key("ref:"+name+":version")).Err())
}

// get reads a shared copy; ok is false when there is none or Redis fails.
func (r *RefStore) get(ctx context.Context, key string) ([]byte, bool) {
	data, err := r.store.rdb.Get(ctx, key).Bytes()
	if r.store.record(ctx, err) != nil {
		return nil, false
	}
	return data, true
}

// await waits for the lock holder's copy, up to lockWait; ok is false when
// the holder is slow, gave up (its lock is gone with no copy) or Redis fails.
func (r *RefStore) await(ctx context.Context, dataKey, lockKey string) ([]byte, bool) {
	deadline := time.Now().Add(r.lockWait)
	tick := time.NewTicker(lockPollPeriod)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return nil, false
		case <-tick.C:
		}
		if data, ok := r.get(ctx, dataKey); ok {
			return data, true
		}
		n, err := r.store.rdb.Exists(ctx, lockKey).Result()
		if r.store.record(ctx, err) != nil || n == 0 {
			return r.get(ctx, dataKey) // the holder just finished, or failed
		}
	}
	return nil, false
}

// fetchAndPut loads from the upstream and shares the copy for ttl.
func (r *RefStore) fetchAndPut(ctx context.Context, dataKey string, ttl time.Duration, fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	data, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	if r.store.usable() {
		_ = r.store.record(ctx, r.store.rdb.Set(ctx, dataKey, data, ttl).Err())
	}
	return data, nil
}

func newToken() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
