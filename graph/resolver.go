package graph

import (
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/customers"
	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/refdata"
)

// Resolver is the dependency root of the GraphQL edge, built once in
// server.go. Resolvers stay thin: they check input, ask the customer store
// (internal/customers) or the per-request loaders (internal/loaders), gate
// what the caller may see (visibility.go) and map the answer to models.
type Resolver struct {
	Customers *customers.Store // every read and write of customers
	Catalog   *refdata.Catalog // reference data cached across requests
	Log       *slog.Logger     // never logs variables, data or secrets
	// Events (may be nil: no live data) carries Tanma's push events to the
	// subscriptions.
	Events *events.Bus
	// OnUntyped (may be nil) counts every value that could not be typed,
	// by field (or property) and problem, for metrics.
	OnUntyped func(field, problem string)
	reported  sync.Map                       // field key + problem already logged, see ReportField
	tags      atomic.Pointer[model.TagIndex] // the latest tag library as models, see TagIndex
}

// NewResolver returns the dependency root over the customer store and the
// reference data.
func NewResolver(store *customers.Store, catalog *refdata.Catalog, log *slog.Logger) *Resolver {
	return &Resolver{Customers: store, Catalog: catalog, Log: log}
}
