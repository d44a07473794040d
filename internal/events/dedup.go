package events

import (
	"context"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Dedup remembers the pushes already applied, by msgId: Tanma re-sends a
// push until it is acknowledged, so the same message may arrive twice (at
// any replica). internal/redisstore shares one across replicas.
type Dedup interface {
	// First reports whether msgID is seen for the first time, and records it.
	First(ctx context.Context, msgID string) bool
	// Forget lets msgID be applied again (its first delivery failed).
	Forget(ctx context.Context, msgID string)
}

// DedupTTL is how long a msgId is remembered: far longer than Tanma keeps
// re-sending an unacknowledged push.
const DedupTTL = 24 * time.Hour

// MemoryDedup is a Dedup in this process: the last maxIDs msgIds of the
// past DedupTTL.
type MemoryDedup struct {
	mu   sync.Mutex
	seen *lru.Cache[string, time.Time] // msgId → when first seen
	now  func() time.Time
}

var _ Dedup = (*MemoryDedup)(nil)

// NewMemoryDedup returns an empty MemoryDedup of at most maxIDs msgIds.
func NewMemoryDedup(maxIDs int) *MemoryDedup {
	seen, _ := lru.New[string, time.Time](max(maxIDs, 1)) // only fails for a size < 1
	return &MemoryDedup{seen: seen, now: time.Now}
}

// First records msgID and reports whether it was new.
func (m *MemoryDedup) First(_ context.Context, msgID string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if at, ok := m.seen.Get(msgID); ok && now.Sub(at) < DedupTTL {
		return false
	}
	m.seen.Add(msgID, now)
	return true
}

// Forget drops msgID.
func (m *MemoryDedup) Forget(_ context.Context, msgID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seen.Remove(msgID)
}
