package shared_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPersistedQueriesAreSharedBetweenReplicas(t *testing.T) {
	t.Parallel()
	m, url := miniRedis(t)
	a := newReplica(t, url).store.PersistedQueries(10)
	b := newReplica(t, url).store.PersistedQueries(10)
	ctx := t.Context()

	_, ok := b.Get(ctx, "h1")
	assert.False(t, ok, "nothing registered yet")
	a.Add(ctx, "h1", "{ a }")
	q, ok := b.Get(ctx, "h1")
	assert.True(t, ok, "registered on A, served by B")
	assert.Equal(t, "{ a }", q)

	m.Close()
	q, ok = b.Get(ctx, "h1")
	assert.True(t, ok, "B's local copy serves while Redis is down")
	assert.Equal(t, "{ a }", q)
	a.Add(ctx, "h2", "{ b }")
	q, ok = a.Get(ctx, "h2")
	assert.True(t, ok, "A keeps what it registered while Redis is down")
	assert.Equal(t, "{ b }", q)
	_, ok = b.Get(ctx, "h2")
	assert.False(t, ok, "B cannot know it: the client registers it again (PERSISTED_QUERY_NOT_FOUND)")
}
