package graph_test

import (
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/tanma-gql/gateway/graph"
)

// TestSDLDeclaresEveryDirective: the SDL (served at /schema.graphql and
// committed as schema.generated.graphql) declares every directive that
// introspection lists, with the same arguments and locations, but the
// specification's own (graph.SpecDirectives: @skip, @include, @deprecated,
// @specifiedBy, @oneOf), which SDL readers declare themselves. So a tool
// that builds the schema from the SDL accepts what the server accepts
// (@defer included).
func TestSDLDeclaresEveryDirective(t *testing.T) {
	t.Parallel()
	doc, err := parser.ParseSchema(&ast.Source{Name: "schema.generated.graphql", Input: string(graph.SDL())})
	require.NoError(t, err)
	type directive struct {
		Args      []string
		Locations []string
	}
	declared := map[string]directive{}
	for _, d := range doc.Directives {
		var dd directive
		for _, a := range d.Arguments {
			dd.Args = append(dd.Args, a.Name)
		}
		for _, l := range d.Locations {
			dd.Locations = append(dd.Locations, string(l))
		}
		sort.Strings(dd.Locations)
		declared[d.Name] = dd
	}

	var r struct {
		Schema struct {
			Directives []struct {
				Name      string
				Locations []string
				Args      []struct{ Name string }
			}
		} `json:"__schema"`
	}
	newEnv(t).mustDo(t, `{ __schema { directives { name locations args { name } } } }`, &r)
	introspected := map[string]directive{}
	for _, d := range r.Schema.Directives {
		var dd directive
		for _, a := range d.Args {
			dd.Args = append(dd.Args, a.Name)
		}
		dd.Locations = append(dd.Locations, d.Locations...)
		sort.Strings(dd.Locations)
		introspected[d.Name] = dd
	}
	require.Contains(t, introspected, "defer", "the server accepts @defer")

	for name, want := range introspected {
		if slices.Contains(graph.SpecDirectives, name) {
			assert.NotContains(t, declared, name, "@%s is the specification's: SDL readers declare it themselves", name)
			continue
		}
		if assert.Contains(t, declared, name, "introspection lists @%s: the SDL must declare it", name) {
			assert.Equal(t, want, declared[name], "@%s as declared in the SDL and as introspected", name)
		}
	}
	for name := range declared {
		assert.Contains(t, introspected, name, "the SDL declares @%s, which introspection does not list", name)
	}
}
