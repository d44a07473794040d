package graph

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/loaders"
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

	leftovers    *relay.Leftovers[tanma.Customer] // look-ahead list pages, see relay.Leftovers
	cursors      *relay.Codec                     // signs every connection's cursors
	searchTotals searchTotals                     // search totals kept with their pages
	// Recent holds the customers and follow-up pages read lately, across
	// requests: the loaders read it (internal/server builds them with it),
	// writes forget from it.
	Recent *loaders.Recent
	// OnWrite (may be nil) hears the customers a write changed, after this
	// replica forgot them: it tells the other replicas (internal/redisstore).
	OnWrite func(ctx context.Context, ids []tanma.ID)
	// Events (may be nil: no live data) carries Tanma's push events to the
	// subscriptions.
	Events *events.Bus
	// OnUntyped (may be nil) counts every value that could not be typed,
	// by field (or property) and problem, for metrics.
	OnUntyped func(field, problem string)
	reported  sync.Map                       // field key + problem already logged, see ReportField
	tags      atomic.Pointer[model.TagIndex] // the latest tag library as models, see TagIndex
}

// NewResolver returns the dependency root over an upstream client, with
// reference data cached under policy p.
func NewResolver(client *tanma.Client, log *slog.Logger, p refdata.Policy) *Resolver {
	return &Resolver{
		Tanma:     client,
		Catalog:   refdata.NewCatalog(client, p, log),
		Log:       log,
		leftovers: relay.NewLeftovers[tanma.Customer](256, 30*time.Second),
		cursors:   relay.NewCodec(client.DerivedKey("cursors")),
		Recent:    loaders.NewRecent(loaders.DefaultRecentSize, loaders.DefaultRecentTTL),
	}
}

// ForgetCustomers drops what this replica holds across requests of
// customers changed elsewhere (a write through another replica): the
// recently listed copies and the leftover list pages.
func (r *Resolver) ForgetCustomers(ids []tanma.ID) {
	r.Recent.Forget(ids...)
	r.leftovers.Clear()
	r.searchTotals.clear()
}
