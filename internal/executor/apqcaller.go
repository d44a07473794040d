package executor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/99designs/gqlgen/graphql"

	"github.com/tanma-gql/gateway/internal/auth"
)

// callerQueries keeps each caller's automatic persisted queries apart: a
// document registered by one caller runs by its hash only for that caller
// (the same API key, the same JWT subject, or every anonymous caller
// together). Without it, a hash is a probe: a caller could learn, and run,
// the documents another caller's dashboard uses.
type callerQueries struct {
	cache graphql.Cache[string]
}

var (
	_ graphql.Cache[string] = callerQueries{}
	_ sharer                = callerQueries{}
)

// Get returns the document the caller registered under hash.
func (q callerQueries) Get(ctx context.Context, hash string) (string, bool) {
	return q.cache.Get(ctx, callerKey(ctx, hash))
}

// Add registers the caller's document under hash.
func (q callerQueries) Add(ctx context.Context, hash, query string) {
	q.cache.Add(ctx, callerKey(ctx, hash), query)
}

// Share registers the caller's document for every replica, when the
// cache is shared.
func (q callerQueries) Share(ctx context.Context, hash, query string) {
	if s, ok := q.cache.(sharer); ok {
		s.Share(ctx, callerKey(ctx, hash), query)
	}
}

// callerKey names a document hash within the caller's own documents: the
// SHA-256 of the caller and the hash, itself a hash (what shared stores
// accept as a key), with no caller id in the clear.
func callerKey(ctx context.Context, hash string) string {
	c, _ := auth.FromContext(ctx)
	sum := sha256.Sum256([]byte("apq\x00" + string(c.Kind) + "\x00" + c.ID + "\x00" + hash))
	return hex.EncodeToString(sum[:])
}
