package redisstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/internal/limits"
)

func TestCallerBudgetsAreSharedBetweenReplicas(t *testing.T) {
	t.Parallel()
	m, url := miniRedis(t)
	a := newReplica(t, url).store.CallerBudgets(100, 100, limits.NewMemoryBudget(100, 100, 10), []byte("secret"))
	b := newReplica(t, url).store.CallerBudgets(100, 100, limits.NewMemoryBudget(100, 100, 10), []byte("secret"))
	ctx := t.Context()

	start := time.Now()
	ok, _ := a.Allow(ctx, "dashboard", 60)
	assert.True(t, ok)
	ok, wait := b.Allow(ctx, "dashboard", 60)
	assert.False(t, ok, "the caller spent 60 of 100 on A: B cannot give it 60 more")
	// 20 units at 100/s: 200ms after A's call, less the time since.
	assert.LessOrEqual(t, wait, 200*time.Millisecond+time.Millisecond, "20 units at 100/s")
	assert.GreaterOrEqual(t, wait, 200*time.Millisecond-time.Since(start)-time.Millisecond)
	ok, _ = b.Allow(ctx, "other-caller", 60)
	assert.True(t, ok, "budgets are per caller")
	ok, _ = a.Allow(ctx, "dashboard", 101)
	assert.False(t, ok, "a cost over the burst never passes")

	for _, k := range m.Keys() {
		assert.NotContains(t, k, "dashboard", "Redis never sees a caller id")
	}
	plain := sha256.Sum256([]byte("dashboard"))
	assert.NotContains(t, strings.Join(m.Keys(), " "), hex.EncodeToString(plain[:16]), "nor a plain hash of it")

	m.Close()
	ok, _ = b.Allow(ctx, "dashboard", 60)
	assert.True(t, ok, "Redis down: B's own budget decides")
}
