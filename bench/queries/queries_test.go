package queries_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/bench/queries"
)

// followUpsLine is the line README shows for adding follow-ups, and
// deferredLine the same deferred.
const (
	followUpsLine = "\n        followUps(first: 1) { edges { node { kind content createdAt author { name } } } }"
	deferredLine  = "\n        ... @defer { followUps(first: 1) { edges { node { kind content createdAt author { name } } } } }"
)

// TestDashboardIsREADMEs keeps the benchmarked dashboard the one README
// shows users.
func TestDashboardIsREADMEs(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	assert.Contains(t, string(readme), "```graphql\n"+queries.Dashboard+"\n```")
	assert.Contains(t, string(readme), "```graphql"+followUpsLine+"\n```", "README's follow-ups line is the one DashboardFollowUps adds")
	assert.Equal(t, strings.Replace(queries.Dashboard, "        }\n      }\n    }\n", "        }"+followUpsLine+"\n      }\n    }\n", 1), queries.DashboardFollowUps)
	assert.Contains(t, string(readme), "```graphql"+deferredLine+"\n```", "README's deferred line is the one DashboardDeferredFollowUps adds")
	assert.Equal(t, strings.Replace(queries.Dashboard, "        }\n      }\n    }\n", "        }"+deferredLine+"\n      }\n    }\n", 1), queries.DashboardDeferredFollowUps)
}

// TestQueriesValidate checks every benchmarked document against the
// committed schema.
func TestQueriesValidate(t *testing.T) {
	t.Parallel()
	sdl, err := os.ReadFile("../../graph/schema.generated.graphql")
	require.NoError(t, err)
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(sdl)})
	require.NoError(t, gerr)
	for _, tc := range []struct{ name, query string }{
		{"Dashboard", queries.Dashboard},
		{"DashboardFollowUps", queries.DashboardFollowUps},
		{"DashboardDeferredFollowUps", queries.DashboardDeferredFollowUps},
		{"Fields", queries.Fields},
		{"Typed", queries.Typed},
		{"IDs", queries.IDs},
		{"AliasedFields", queries.AliasedFields([]string{"dowen", "chenjing"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, errs := gqlparser.LoadQuery(schema, tc.query)
			assert.Empty(t, errs)
		})
	}
}
