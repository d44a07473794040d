package graph

import (
	"log/slog"
	"time"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Resolver is the dependency root of the GraphQL edge, built once in
// server.go. Resolvers stay thin: they turn upstream ids into objects.
type Resolver struct {
	Tanma *tanma.Client // the signed upstream client
	Log   *slog.Logger  // never logs variables, data or secrets

	lookahead *relay.Stash[tanma.Customer] // look-ahead list pages, see relay.Stash
}

// NewResolver returns the dependency root over an upstream client.
func NewResolver(client *tanma.Client, log *slog.Logger) *Resolver {
	return &Resolver{Tanma: client, Log: log, lookahead: relay.NewStash[tanma.Customer](256, 30*time.Second)}
}
