package graph_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/introspection"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIntrospectionDescribesEverything runs the introspection query codegen
// tools send and checks that every type, field, argument and enum value of
// the schema carries a description (the playground shows them to users).
func TestIntrospectionDescribesEverything(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Schema struct {
			QueryType struct{ Name string }
			Types     []struct {
				Kind, Name  string
				Description *string
				Fields      []struct {
					Name        string
					Description *string
					Args        []struct {
						Name        string
						Description *string
					}
				}
				EnumValues []struct {
					Name        string
					Description *string
				}
				PossibleTypes []struct{ Name string }
			}
		} `json:"__schema"`
	}
	e.mustDo(t, introspection.Query, &r)
	assert.Equal(t, "Query", r.Schema.QueryType.Name)
	byName := map[string]int{}
	for i, typ := range r.Schema.Types {
		byName[typ.Name] = i
		if strings.HasPrefix(typ.Name, "__") || isBuiltinScalar(typ.Name) {
			continue
		}
		assert.NotEmpty(t, deref(typ.Description), "type %s has no description", typ.Name)
		for _, f := range typ.Fields {
			assert.NotEmpty(t, deref(f.Description), "field %s.%s has no description", typ.Name, f.Name)
			for _, a := range f.Args {
				assert.NotEmpty(t, deref(a.Description), "argument %s.%s(%s) has no description", typ.Name, f.Name, a.Name)
			}
		}
		for _, v := range typ.EnumValues {
			assert.NotEmpty(t, deref(v.Description), "enum value %s.%s has no description", typ.Name, v.Name)
		}
	}
	require.Contains(t, byName, "Node")
	var nodes []string
	for _, p := range r.Schema.Types[byName["Node"]].PossibleTypes {
		nodes = append(nodes, p.Name)
	}
	assert.Subset(t, nodes, []string{"Customer", "Staff"})
	for _, name := range []string{"Customer", "CustomerConnection", "CustomerEdge", "PageInfo", "Staff", "Date", "DateTime", "Gender"} {
		assert.Contains(t, byName, name)
	}
}

func isBuiltinScalar(name string) bool {
	switch name {
	case "String", "Int", "Float", "Boolean", "ID":
		return true
	}
	return false
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
