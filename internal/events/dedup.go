package events

import (
	"context"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Dedup remembers the pushes being applied and applied, by msgId: Tanma
// re-sends a push until it is acknowledged, so the same message may arrive
// twice (at any replica), even while its first delivery is still being
// applied. internal/redisstore shares one across replicas.
type Dedup interface {
	// Claim records msgID as being applied, if no one has claimed it.
	Claim(ctx context.Context, msgID string) Claim
	// Applied records that msgID was applied: its re-sends are replays.
	Applied(ctx context.Context, msgID string)
	// Release lets msgID be claimed again (its first delivery failed).
	Release(ctx context.Context, msgID string)
}

// Claim is what Dedup.Claim found.
type Claim int

const (
	// Claimed: the msgId is new; the caller applies it.
	Claimed Claim = iota
	// Replay: the msgId was applied; acknowledge it again.
	Replay
	// InProgress: the msgId is being applied (here or on another replica):
	// not acknowledged, so that Tanma sends it again and it is not lost if
	// that apply fails.
	InProgress
)

// DedupTTL is how long an applied msgId is remembered: far longer than
// Tanma keeps re-sending an unacknowledged push.
const DedupTTL = 24 * time.Hour

// ClaimTTL is how long a claim holds without Applied or Release: a replica
// that stopped while applying must not keep the push from being applied
// by another.
const ClaimTTL = time.Minute

// MemoryDedup is a Dedup in this process: the last maxIDs msgIds of the
// past DedupTTL.
type MemoryDedup struct {
	mu   sync.Mutex
	seen *lru.Cache[string, claim]
	now  func() time.Time
}

type claim struct {
	at      time.Time // when claimed, or when applied
	applied bool
}

var _ Dedup = (*MemoryDedup)(nil)

// NewMemoryDedup returns an empty MemoryDedup of at most maxIDs msgIds.
func NewMemoryDedup(maxIDs int) *MemoryDedup {
	seen, _ := lru.New[string, claim](max(maxIDs, 1)) // only fails for a size < 1
	return &MemoryDedup{seen: seen, now: time.Now}
}

// Claim claims msgID unless it is applied or claimed (and the claim holds).
func (m *MemoryDedup) Claim(_ context.Context, msgID string) Claim {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if c, ok := m.seen.Get(msgID); ok {
		switch {
		case c.applied && now.Sub(c.at) < DedupTTL:
			return Replay
		case !c.applied && now.Sub(c.at) < ClaimTTL:
			return InProgress
		}
	}
	m.seen.Add(msgID, claim{at: now})
	return Claimed
}

// Applied records msgID as applied.
func (m *MemoryDedup) Applied(_ context.Context, msgID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seen.Add(msgID, claim{at: m.now(), applied: true})
}

// Release drops the claim on msgID.
func (m *MemoryDedup) Release(_ context.Context, msgID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seen.Remove(msgID)
}
