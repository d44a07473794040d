package graph_test

import (
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/graph"
)

var updateSDL = flag.Bool("update-sdl", false, "rewrite schema.generated.graphql from the code (go generate does)")

// TestSDLFile: the committed schema.generated.graphql, what codegen tools and
// reviewers read, is exactly the SDL the server serves at /schema.graphql.
// `go generate ./...` rewrites it; CI fails when it drifts from the code.
func TestSDLFile(t *testing.T) {
	const path = "schema.generated.graphql"
	if *updateSDL {
		require.NoError(t, os.WriteFile(path, graph.SDL(), 0o644))
	}
	committed, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, string(graph.SDL()), string(committed), "graph/schema.generated.graphql is stale: run go generate ./...")
}
