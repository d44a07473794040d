package shared

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
)

// persistedQueryTTL is how long a persisted query stays in Redis after it
// was last registered. A client whose hash expired gets
// PERSISTED_QUERY_NOT_FOUND and registers it again, as APQ clients do.
const persistedQueryTTL = 7 * 24 * time.Hour

// PersistedQueries is gqlgen's automatic persisted query cache shared by
// every replica: a hash registered through one replica is served by any
// other. A local LRU answers repeated hashes without a round trip; while
// Redis is down the cache is the local LRU alone.
type PersistedQueries struct {
	store *Store
	local *lru.LRU[string]
}

var _ graphql.Cache[string] = (*PersistedQueries)(nil)

// PersistedQueries returns the shared cache with a local LRU of localSize.
func (s *Store) PersistedQueries(localSize int) *PersistedQueries {
	return &PersistedQueries{store: s, local: lru.New[string](localSize)}
}

// Get returns the query registered under hash.
func (p *PersistedQueries) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := p.local.Get(ctx, hash); ok {
		return q, true
	}
	if !p.store.usable() {
		return "", false
	}
	q, err := p.store.rdb.Get(ctx, p.store.key("apq:"+hash)).Result()
	if p.store.record(err) != nil {
		return "", false
	}
	p.local.Add(ctx, hash, q)
	return q, true
}

// Add registers query under hash (gqlgen has checked that it is the
// query's sha256).
func (p *PersistedQueries) Add(ctx context.Context, hash, query string) {
	p.local.Add(ctx, hash, query)
	if p.store.usable() {
		_ = p.store.record(p.store.rdb.Set(ctx, p.store.key("apq:"+hash), query, persistedQueryTTL).Err())
	}
}
