package redisstore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
)

func hashOf(q string) string {
	sum := sha256.Sum256([]byte(q))
	return hex.EncodeToString(sum[:])
}

func TestPersistedQueriesAreSharedBetweenReplicas(t *testing.T) {
	t.Parallel()
	m, url := miniRedis(t)
	a := newReplica(t, url).store.PersistedQueries(64 << 10)
	b := newReplica(t, url).store.PersistedQueries(64 << 10)
	ctx := t.Context()
	h1, h2 := hashOf("{ a }"), hashOf("{ b }")

	_, ok := b.Get(ctx, h1)
	assert.False(t, ok, "nothing registered yet")
	a.Add(ctx, h1, "{ a }")
	_, ok = b.Get(ctx, h1)
	assert.False(t, ok, "added on A (before validation): not shared yet")
	a.Share(ctx, h1, "{ a }")
	q, ok := b.Get(ctx, h1)
	assert.True(t, ok, "shared by A, served by B")
	assert.Equal(t, "{ a }", q)
	assert.Len(t, m.Keys(), 1)
	a.Share(ctx, "not-a-hash", "{ x }")
	assert.Len(t, m.Keys(), 1, "only sha256 keys reach Redis")

	m.Close()
	q, ok = b.Get(ctx, h1)
	assert.True(t, ok, "B's local copy serves while Redis is down")
	assert.Equal(t, "{ a }", q)
	a.Add(ctx, h2, "{ b }")
	a.Share(ctx, h2, "{ b }")
	q, ok = a.Get(ctx, h2)
	assert.True(t, ok, "A keeps what it registered while Redis is down")
	assert.Equal(t, "{ b }", q)
	_, ok = b.Get(ctx, h2)
	assert.False(t, ok, "B cannot know it: the client registers it again (PERSISTED_QUERY_NOT_FOUND)")
}
