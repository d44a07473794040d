package graph

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Resolver is the dependency root of the GraphQL edge, built once in
// server.go. Resolvers stay thin: they turn upstream ids into objects
// through the per-request loaders (internal/loaders).
type Resolver struct {
	Tanma   *tanma.Client    // the signed upstream client
	Catalog *refdata.Catalog // reference data cached across requests
	Log     *slog.Logger     // never logs variables, data or secrets

	lookahead *relay.Stash[tanma.Customer] // look-ahead list pages, see relay.Stash
	reported  sync.Map                     // field key + problem already logged, see reportField
	tags      atomic.Pointer[tagModels]    // the tag library as models, see tagModelsOf
}

// NewResolver returns the dependency root over an upstream client, with
// reference data cached under policy p.
func NewResolver(client *tanma.Client, log *slog.Logger, p refdata.Policy) *Resolver {
	return &Resolver{
		Tanma:     client,
		Catalog:   refdata.NewCatalog(client, p, log),
		Log:       log,
		lookahead: relay.NewStash[tanma.Customer](256, 30*time.Second),
	}
}
