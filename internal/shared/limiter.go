package shared

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// gcra reserves one call under a generic cell rate algorithm kept in Redis,
// on Redis's clock, so every replica draws from one quota. KEYS[1] holds the
// theoretical arrival time (TAT, microseconds). ARGV: the emission interval
// (1/QPS), the burst tolerance (interval × (burst-1)) and the longest wait
// the caller accepts, all in microseconds. A call may go at TAT - tolerance;
// reserving it moves TAT one interval on. Returns {1, wait} when reserved
// (send after wait), {0, wait} when the wait is too long (nothing reserved).
var gcra = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval, tolerance, maxwait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
if wait > maxwait then return {0, wait} end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
return {1, wait}
`)

// maxReservation bounds how far ahead a call without a deadline books.
const maxReservation = time.Minute

// Limiter is the app's QPS quota shared by every replica: one GCRA in
// Redis. Each call reserves its slot in one round trip and waits for it
// here (first come, first served; no polling). A call that would have to
// wait past its deadline fails at once with tanma.ErrLocalRateLimit. When
// Redis does not answer, the fallback (a local limiter at this replica's
// share of the quota) decides instead.
type Limiter struct {
	store     *Store
	key       string
	interval  time.Duration
	tolerance time.Duration
	fallback  tanma.Limiter
}

var _ tanma.Limiter = (*Limiter)(nil)

// Limiter returns the shared quota of qps calls per second with bursts of
// up to burst, falling back to fallback (nil: no limit) when Redis is down.
func (s *Store) Limiter(qps float64, burst int, fallback tanma.Limiter) *Limiter {
	interval := time.Duration(float64(time.Second) / qps)
	return &Limiter{store: s, key: s.key("quota"), interval: interval,
		tolerance: interval * time.Duration(max(burst, 1)-1), fallback: fallback}
}

// Wait implements tanma.Limiter.
func (l *Limiter) Wait(ctx context.Context, deadline time.Time) (time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if !l.store.usable() {
		return l.local(ctx, deadline)
	}
	maxWait := maxReservation
	if !deadline.IsZero() {
		maxWait = max(time.Until(deadline), 0)
	}
	res, err := gcra.Run(ctx, l.store.rdb, []string{l.key},
		l.interval.Microseconds(), l.tolerance.Microseconds(), maxWait.Microseconds()).Int64Slice()
	if l.store.record(err) != nil || len(res) != 2 {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return l.local(ctx, deadline)
	}
	wait := time.Duration(res[1]) * time.Microsecond
	if res[0] != 1 {
		return wait, tanma.ErrLocalRateLimit
	}
	if wait <= 0 {
		return 0, nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return 0, nil
	case <-ctx.Done():
		return 0, ctx.Err() // the slot stays spent: the quota errs on the safe side
	}
}

func (l *Limiter) local(ctx context.Context, deadline time.Time) (time.Duration, error) {
	if l.fallback == nil {
		return 0, nil
	}
	return l.fallback.Wait(ctx, deadline)
}
