package redisstore

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Store is the connection to Redis, shared by every part of this package,
// with its health: whether Redis answered the last call.
type Store struct {
	rdb    *redis.Client
	prefix string // of every key: the app id, so apps sharing a Redis never mix
	log    *slog.Logger

	mu      sync.Mutex
	down    bool
	downAt  time.Time // when it went down
	probeAt time.Time // while down: when the next call may try Redis
}

// Timeouts of one Redis call. Redis answers in well under a millisecond;
// past these the replica serves from its fallbacks rather than wait.
const (
	dialTimeout = 500 * time.Millisecond
	ioTimeout   = 500 * time.Millisecond
	// probeEvery is how often, while Redis is down, one call tries it again.
	probeEvery = time.Second
)

// Open returns a Store for the Redis at redisURL, with keys under appID.
// It does not connect: a Redis that is down at start is a degradation, not
// a failure.
func Open(redisURL, appID string, log *slog.Logger) (*Store, error) {
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, errors.New("shared: REDIS_URL is not a redis:// or rediss:// URL") // the error may quote the password
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = dialTimeout, ioTimeout, ioTimeout
	opt.PoolTimeout = 2 * ioTimeout
	opt.MaxRetries = -1 // a failed call falls back at once; retrying is the fallback's job
	opt.ContextTimeoutEnabled = true
	quietOnce.Do(func() { redis.SetLogger(quiet{}) })
	return &Store{rdb: redis.NewClient(opt), prefix: "tanma-gateway:" + appID + ":", log: log}, nil
}

// Addr is where Redis is, without credentials: safe to log.
func (s *Store) Addr() string { return s.rdb.Options().Addr }

// Close closes the connections.
func (s *Store) Close() error { return s.rdb.Close() }

// Ping asks Redis whether it answers (readiness), updating the health.
func (s *Store) Ping(ctx context.Context) error {
	return s.record(ctx, s.rdb.Ping(ctx).Err())
}

// Up reports whether Redis answered the last call.
func (s *Store) Up() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.down
}

// usable reports whether a call should try Redis now: always while it
// answers; while it is down, one call per probeEvery, so a dead Redis costs
// requests nothing but the fallback.
func (s *Store) usable() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.down {
		return true
	}
	if now := time.Now(); !now.Before(s.probeAt) {
		s.probeAt = now.Add(probeEvery)
		return true
	}
	return false
}

// record notes the outcome of a Redis call made under ctx and returns err.
// redis.Nil (no such key) is an answer; a call whose caller gave up or ran
// out of time (its ctx ended: go-redis may then report a network timeout)
// says nothing about Redis.
func (s *Store) record(ctx context.Context, err error) error {
	if err != nil && (callerEnded(ctx) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return err
	}
	up := err == nil || errors.Is(err, redis.Nil)
	now := time.Now()
	s.mu.Lock()
	if up && s.down && now.Sub(s.downAt) < probeEvery {
		// A call begun before Redis failed, answering late (within its
		// timeout): it says nothing about Redis now. Recovery is only seen
		// from probes, the first of which starts probeEvery after the failure.
		s.mu.Unlock()
		return err
	}
	changed := s.down == up
	s.down = !up
	if !up {
		s.probeAt = now.Add(probeEvery)
		if changed {
			s.downAt = now
		}
	}
	s.mu.Unlock()
	if !changed {
		return err
	}
	if up {
		s.log.Info("redis answers again: the quota, persisted queries and reference data are shared again", "redis", s.Addr())
	} else {
		s.log.Warn("redis unreachable: serving with per-replica fallbacks (local rate limit at TANMA_QPS/TANMA_QPS_REPLICAS, local caches) until it answers",
			"redis", s.Addr(), "err", err.Error())
	}
	return err
}

// callerEnded reports whether ctx has ended or its deadline has passed.
// go-redis reads until ctx's deadline, and that read can fail with a
// network timeout before ctx's own timer has marked ctx done: checking
// ctx.Err alone then took the caller's deadline for Redis not answering.
func callerEnded(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	deadline, ok := ctx.Deadline()
	return ok && !time.Now().Before(deadline)
}

// key is name under the Store's prefix.
func (s *Store) key(name string) string { return s.prefix + name }

// quiet drops go-redis's own log lines (a line per failed dial, on stderr,
// not JSON): the Store logs each degradation once, in the gateway's log.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// quietOnce sets go-redis's process-wide logger before the first client
// exists, so no client reads it while it is written.
var quietOnce sync.Once
