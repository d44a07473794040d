// Package ratelimit limits what each caller may spend: a token bucket per
// caller, refilled at a steady rate of cost units per second, where a
// GraphQL request's cost is its query cost (see graph/complexity.go). The
// in-memory Limiter is per process; Limiter is an interface so a shared
// store can take its place when several replicas serve one quota.
package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// Limiter decides whether a caller may spend cost now.
type Limiter interface {
	// Allow spends cost from key's budget, or reports how long until the
	// budget could cover it.
	Allow(ctx context.Context, key string, cost int) (ok bool, retryAfter time.Duration)
}

// Memory is an in-process Limiter. It remembers at most a bounded number
// of callers (least recently seen are forgotten, which only refills them).
type Memory struct {
	rate  rate.Limit
	burst int
	mu    sync.Mutex
	byKey *lru.Cache[string, *rate.Limiter]
	now   func() time.Time
}

var _ Limiter = (*Memory)(nil)

// NewMemory returns a limiter refilling perSecond cost units per second up
// to burst, for at most maxCallers distinct callers.
func NewMemory(perSecond float64, burst, maxCallers int) *Memory {
	c, _ := lru.New[string, *rate.Limiter](max(maxCallers, 1)) // only fails for a size < 1
	return &Memory{rate: rate.Limit(perSecond), burst: max(burst, 1), byKey: c, now: time.Now}
}

// Allow spends cost (at least 1) from key's bucket. A cost over the burst
// can never pass: it is refused with the time a full bucket would take.
func (m *Memory) Allow(_ context.Context, key string, cost int) (bool, time.Duration) {
	cost = max(cost, 1)
	m.mu.Lock()
	l, ok := m.byKey.Get(key)
	if !ok {
		l = rate.NewLimiter(m.rate, m.burst)
		m.byKey.Add(key, l)
	}
	m.mu.Unlock()
	if cost > m.burst {
		return false, m.refill(m.burst)
	}
	now := m.now()
	r := l.ReserveN(now, cost)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

func (m *Memory) refill(cost int) time.Duration {
	if m.rate <= 0 {
		return time.Hour
	}
	return time.Duration(math.Ceil(float64(cost) / float64(m.rate) * float64(time.Second)))
}
