package limits

import (
	"context"
	"math"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// Budget is what each caller may spend: a token bucket per caller,
// refilled at a steady rate of cost units per second, where a GraphQL
// request's cost is its query cost (see graph/complexity.go). MemoryBudget
// is per process; internal/redisstore shares one across replicas.
type Budget interface {
	// Allow spends cost from key's budget, or reports how long until the
	// budget could cover it.
	Allow(ctx context.Context, key string, cost int) (ok bool, retryAfter time.Duration)
}

// MemoryBudget is an in-process Budget. It remembers at most a bounded number
// of callers (least recently seen are forgotten, which only refills them).
type MemoryBudget struct {
	rate  rate.Limit
	burst int
	mu    sync.Mutex
	byKey *lru.Cache[string, *rate.Limiter]
	now   func() time.Time
}

var _ Budget = (*MemoryBudget)(nil)

// NewMemoryBudget returns budgets refilling perSecond cost units per second up
// to burst, for at most maxCallers distinct callers.
func NewMemoryBudget(perSecond float64, burst, maxCallers int) *MemoryBudget {
	c, _ := lru.New[string, *rate.Limiter](max(maxCallers, 1)) // only fails for a size < 1
	return &MemoryBudget{rate: rate.Limit(perSecond), burst: max(burst, 1), byKey: c, now: time.Now}
}

// Allow spends cost (at least 1) from key's bucket. A cost over the burst
// can never pass: it is refused with the time a full bucket would take.
func (m *MemoryBudget) Allow(_ context.Context, key string, cost int) (bool, time.Duration) {
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

func (m *MemoryBudget) refill(cost int) time.Duration {
	if m.rate <= 0 {
		return time.Hour
	}
	return time.Duration(math.Ceil(float64(cost) / float64(m.rate) * float64(time.Second)))
}
