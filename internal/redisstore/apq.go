package redisstore

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/tanma-gql/gateway/internal/bytecache"
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
	local *bytecache.Cache[string]
}

var _ graphql.Cache[string] = (*PersistedQueries)(nil)

// PersistedQueries returns the shared cache with a local LRU of
// localBytes: bounded by size, not count, since anyone may register a
// document of up to MAX_BODY_BYTES before it is validated (a document over
// a sixteenth of localBytes is served from Redis alone).
func (s *Store) PersistedQueries(localBytes int) *PersistedQueries {
	return &PersistedQueries{store: s, local: bytecache.New(localBytes, bytecache.StringSize)}
}

// Get returns the query registered under hash.
func (p *PersistedQueries) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := p.local.Get(ctx, hash); ok {
		return q, true
	}
	if !sha256Hex(hash) || !p.store.usable() {
		return "", false
	}
	q, err := p.store.rdb.Get(ctx, p.store.key("apq:"+hash)).Result()
	if p.store.record(ctx, err) != nil {
		return "", false
	}
	p.local.Add(ctx, hash, q)
	return q, true
}

// Add registers query under hash in this replica (gqlgen has checked that
// hash is the query's sha256). gqlgen adds before it parses the document:
// Share, called once the document has passed validation and the limits,
// makes it known to the other replicas.
func (p *PersistedQueries) Add(ctx context.Context, hash, query string) {
	p.local.Add(ctx, hash, query)
}

// Share registers query under hash for every replica.
func (p *PersistedQueries) Share(ctx context.Context, hash, query string) {
	if sha256Hex(hash) && p.store.usable() {
		_ = p.store.record(ctx, p.store.rdb.Set(ctx, p.store.key("apq:"+hash), query, persistedQueryTTL).Err())
	}
}

// sha256Hex reports whether s is a lowercase hex SHA-256, the only kind of
// key gqlgen registers: anything else is not looked up in Redis.
func sha256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
