package redisstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/internal/events"
)

// TestDedupAcrossReplicas: a push claimed on one replica is in progress on
// another (its re-send is not acknowledged there), a replay once applied,
// and claimable again once forgotten; a claim another replica holds does
// not stay in this replica's own record, which it falls back to when
// Redis is down.
func TestDedupAcrossReplicas(t *testing.T) {
	t.Parallel()
	m, url := miniRedis(t)
	a := newReplica(t, url).store.Dedup(events.NewMemoryDedup(10))
	bLocal := events.NewMemoryDedup(10)
	b := newReplica(t, url).store.Dedup(bLocal)
	ctx := context.Background()

	assert.Equal(t, events.Claimed, a.Claim(ctx, "1"))
	assert.Equal(t, events.InProgress, b.Claim(ctx, "1"), "being applied on a")
	assert.Equal(t, events.Claimed, bLocal.Claim(ctx, "1"), "b's own record does not keep a's claim")
	bLocal.Release(ctx, "1")
	a.Applied(ctx, "1")
	assert.Equal(t, events.Replay, b.Claim(ctx, "1"))

	assert.Equal(t, events.Claimed, a.Claim(ctx, "2"))
	a.Release(ctx, "2") // its apply failed
	assert.Equal(t, events.Claimed, b.Claim(ctx, "2"), "forgotten: b applies the re-send")

	assert.Equal(t, events.Claimed, a.Claim(ctx, "3"))
	m.FastForward(events.ClaimTTL + 1)
	assert.Equal(t, events.Claimed, b.Claim(ctx, "3"), "a claim never applied nor forgotten ends after ClaimTTL")
}
