package redisstore

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// gcra spends n units of a rate kept in Redis under a generic cell rate
// algorithm, on Redis's clock, so every replica draws from one budget.
// KEYS[1] holds the theoretical arrival time (TAT, microseconds). ARGV: the
// emission interval (1/rate) and the burst tolerance (interval × burst),
// both in microseconds (fractions allowed), n, and the longest wait the
// caller accepts (microseconds; 0: now or never). The units may be spent
// once now >= TAT + n·interval - tolerance; spending them moves TAT on by
// n·interval. Returns {1, wait}: spent, go after wait; or {0, wait}: the
// wait is too long and nothing was spent.
var gcra = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval, tolerance = tonumber(ARGV[1]), tonumber(ARGV[2])
local n, maxwait = tonumber(ARGV[3]), tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
tat = tat + n * interval
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
if wait > maxwait then return {0, math.ceil(wait)} end
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
return {1, math.ceil(wait)}
`)

// spend runs gcra for n units of key at perSecond with burst, accepting a
// wait up to maxWait. Redis's failures are recorded and returned.
func (s *Store) spend(ctx context.Context, key string, perSecond float64, burst, n int, maxWait time.Duration) (ok bool, wait time.Duration, err error) {
	interval := 1e6 / perSecond // microseconds
	res, err := gcra.Run(ctx, s.rdb, []string{key},
		interval, interval*float64(max(burst, 1)), n, maxWait.Microseconds()).Int64Slice()
	if s.record(ctx, err) != nil {
		return false, 0, err
	}
	if len(res) != 2 {
		return false, 0, s.record(ctx, errors.New("shared: unexpected answer of the rate script"))
	}
	return res[0] == 1, time.Duration(res[1]) * time.Microsecond, nil
}

// maxReservation bounds how far ahead a call without a deadline books.
const maxReservation = time.Minute

// Quota is the app's QPS quota shared by every replica: one GCRA in
// Redis. Each call reserves its slot in one round trip and waits for it
// here (first come, first served; no polling). A call that would have to
// wait past its deadline fails at once with tanma.ErrLocalRateLimit. When
// Redis does not answer, the fallback (a local limiter at this replica's
// share of the quota) decides instead.
type Quota struct {
	store    *Store
	key      string
	qps      float64
	burst    int
	fallback tanma.Quota
}

var _ tanma.Quota = (*Quota)(nil)

// Quota returns the shared quota of qps calls per second with bursts of
// up to burst, falling back to fallback (nil: no limit) when Redis is down.
func (s *Store) Quota(qps float64, burst int, fallback tanma.Quota) *Quota {
	return &Quota{store: s, key: s.key("quota"), qps: qps, burst: burst, fallback: fallback}
}

// Wait implements tanma.Quota.
func (l *Quota) Wait(ctx context.Context, deadline time.Time) (time.Duration, error) {
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
	// The booking's round trip is not cut short by ctx: its answer lost to
	// the caller's deadline would leave a slot booked that no call uses and
	// none gives back. Redis's own timeouts bound it instead (it answers in
	// well under a millisecond), and a caller that gave up meanwhile gives
	// its slot back below.
	ok, wait, err := l.store.spend(context.WithoutCancel(ctx), l.key, l.qps, l.burst, 1, maxWait)
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return l.local(ctx, deadline)
	}
	if !ok {
		return wait, tanma.ErrLocalRateLimit
	}
	if err := ctx.Err(); err != nil {
		l.store.refund(l.key, l.qps)
		return 0, err
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
		l.store.refund(l.key, l.qps)
		return 0, ctx.Err()
	}
}

// giveBack moves the rate's TAT back by one interval: the slot of a call
// that gave up before sending, so abandoned waits do not push the fleet's
// later calls out. Callers that booked after it keep their slots.
var giveBack = redis.NewScript(`
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat == 0 then return 0 end
redis.call('SET', KEYS[1], string.format('%.3f', tat - tonumber(ARGV[1])), 'KEEPTTL')
return 1
`)

// refund gives back one slot of key at perSecond, best effort (a failure
// only leaves the quota stricter than it needs to be).
func (s *Store) refund(key string, perSecond float64) {
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	_ = s.record(ctx, giveBack.Run(ctx, s.rdb, []string{key}, 1e6/perSecond).Err())
}

func (l *Quota) local(ctx context.Context, deadline time.Time) (time.Duration, error) {
	if l.fallback == nil {
		return 0, nil
	}
	return l.fallback.Wait(ctx, deadline)
}
