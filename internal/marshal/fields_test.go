package marshal_test

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/internal/marshal"
)

const fieldsSchema = `
interface Node { id: ID! }
type Customer implements Node { id: ID! name: String owner: Staff }
type Staff implements Node { id: ID! name: String salesId: String }
type Query { node: Node nodes: [Node!]! }
`

// The implementors gqlgen generates for each type: one package variable
// each, as CollectFields' cache expects.
var (
	customerImplementors = []string{"Customer", "Node"}
	staffImplementors    = []string{"Staff", "Node"}
)

// TestCollectFieldsIsGqlgens: for one selection set collected for two
// types (fragments on each), and for a field merged from several
// selections, the cached fields are gqlgen's, every time they are asked
// for, and @include follows the operation's variables.
func TestCollectFieldsIsGqlgens(t *testing.T) {
	t.Parallel()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: fieldsSchema})
	doc, errs := gqlparser.LoadQuery(schema, `query($more: Boolean!) {
		node { id ...C ... on Staff { salesId name @include(if: $more) } }
	}
	fragment C on Customer { name owner { name } owner { salesId } }`)
	require.Empty(t, errs)
	sel := doc.Operations[0].SelectionSet[0].(*ast.Field).SelectionSet
	for _, more := range []bool{true, false} {
		oc := &graphql.OperationContext{Doc: doc, Variables: map[string]any{"more": more}}
		ctx := marshal.WithFieldsCache(context.Background())
		for range 3 {
			for _, satisfies := range [][]string{customerImplementors, staffImplementors} {
				want := graphql.CollectFields(&graphql.OperationContext{Doc: doc, Variables: oc.Variables}, sel, satisfies)
				got := marshal.CollectFields(ctx, oc, sel, satisfies)
				assert.Equal(t, names(want), names(got), "%v %v", satisfies, more)
			}
		}
		customer := marshal.CollectFields(ctx, oc, sel, customerImplementors)
		require.Len(t, customer, 3)
		owner := customer[2].Selections
		assert.Equal(t, []string{"name", "salesId"}, names(marshal.CollectFields(ctx, oc, owner, staffImplementors)))
		assert.Equal(t, names(graphql.CollectFields(oc, sel, staffImplementors)),
			names(marshal.CollectFields(context.Background(), oc, sel, staffImplementors)), "without a cache: gqlgen's")
	}
}

// names are the aliases of fields.
func names(fields []graphql.CollectedField) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Alias
	}
	return out
}

// TestCollectFieldsAllocatesNothingWhenCached: a cached selection costs no
// allocation (gqlgen's costs one per object: a new hasher).
func TestCollectFieldsAllocatesNothingWhenCached(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: fieldsSchema})
	doc, errs := gqlparser.LoadQuery(schema, `{ node { id ... on Customer { name } } }`)
	require.Empty(t, errs)
	sel := doc.Operations[0].SelectionSet[0].(*ast.Field).SelectionSet
	oc := &graphql.OperationContext{Doc: doc}
	ctx := marshal.WithFieldsCache(context.Background())
	marshal.CollectFields(ctx, oc, sel, customerImplementors)
	assert.Zero(t, testing.AllocsPerRun(100, func() { marshal.CollectFields(ctx, oc, sel, customerImplementors) }))
}
