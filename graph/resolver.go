package graph

import (
	"log/slog"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Resolver is the dependency root of the GraphQL edge, built once in
// server.go. Resolvers stay thin: they turn upstream ids into objects.
type Resolver struct {
	Tanma *tanma.Client // the signed upstream client
	Log   *slog.Logger  // never logs variables, data or secrets
}
