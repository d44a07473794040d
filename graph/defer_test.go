package graph_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeferIsAnsweredInline: a query with @defer from a client that does
// not accept multipart/mixed gets one complete JSON answer: the deferred
// fields are in it, resolved like the rest (followUps and departments are
// resolvers that wait on loaders; gqlgen left them null, with hasNext: true
// and no later part), and there is no hasNext, as the incremental delivery
// proposal lets a server do. Inline fragments and named fragment spreads
// alike. (Streamed parts: internal/server's incremental tests.)
func TestDeferIsAnsweredInline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for name, query := range map[string]string{
		"inline fragment": `{
		  customers(ownerId: "dowen", first: 2) {
		    edges { node { customerId ... @defer(label: "slow") {
		      name followUps(first: 1) { edges { node { content } } } owner { departments { name } } } } }
		  }
		}`,
		"fragment spread, defer on a variable": `query($later: Boolean!) {
		  customers(ownerId: "dowen", first: 2) { edges { node { customerId ...Slow @defer(if: $later) } } }
		}
		fragment Slow on Customer { name followUps(first: 1) { edges { node { content } } } owner { departments { name } } }`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			status, resp := postJSON(t, e.h, map[string]any{"query": query, "variables": map[string]any{"later": true}})
			require.Equal(t, http.StatusOK, status, resp)
			assert.NotContains(t, resp, "hasNext")
			assert.NotContains(t, resp, "errors")
			edges := resp["data"].(map[string]any)["customers"].(map[string]any)["edges"].([]any)
			require.Len(t, edges, 2)
			for _, edge := range edges {
				node := edge.(map[string]any)["node"].(map[string]any)
				assert.NotEmpty(t, node["customerId"])
				assert.Contains(t, node, "name")
				assert.NotNil(t, node["followUps"], "the deferred resolver field is in the one answer")
				departments := node["owner"].(map[string]any)["departments"].([]any)
				assert.NotEmpty(t, departments)
			}
		})
	}
}
