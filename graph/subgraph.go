package graph

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// The gateway as a Federation 2 subgraph. gqlgen's federation plugin
// generates one executable schema with everything a router needs: the
// entity keys of federation.graphqls, Query._service (the subgraph's SDL)
// and Query._entities (entities by key, entity.resolvers.go), with their
// types (_Any, _Entity, _Service, and the spec's directives). The
// gateway's own clients should see none of it unless they ask for it, so
// there are two views of that one executable schema:
//
//   - the plain schema: the *.graphqls files without federation.graphqls.
//     Introspection answers from it and /schema.graphql serves it in both
//     modes, so code generators (graphql-codegen's strictScalars refuses a
//     scalar it has no type for, such as _Any), the playground and the
//     committed schema.generated.graphql are unchanged by federation.
//     With FEDERATION=off (NewPlainSchema) it is also what queries are
//     validated against: _service and _entities are unknown fields.
//   - the subgraph schema (NewSchema, the default): queries are validated
//     against gqlgen's whole schema, so a router's _service and _entities
//     queries run; introspection still shows the plain schema (a router
//     reads the subgraph's SDL from _service, never from introspection).
//
// _service needs the introspect permission, like introspection
// (internal/executor); _entities resolves through the loaders and the
// visibility gate as node does (entities.go) and costs what nodes costs
// (complexity.go).

// federationSource is the schema file of the federation additions.
const federationSource = "federation.graphqls"

// plainSchema is the schema of the gateway's own clients.
var plainSchema = gqlparser.MustLoadSchema(plainSources()...)

// plainSources are the schema files without the federation additions and
// the sources the federation plugin injects.
func plainSources() []*ast.Source {
	out := make([]*ast.Source, 0, len(sources))
	for _, s := range sources {
		if !s.BuiltIn && s.Name != federationSource {
			out = append(out, s)
		}
	}
	return out
}

// subgraph validates against gqlgen's whole schema, federation included;
// everything else, introspection included, is the plain executable
// schema's.
type subgraph struct{ graphql.ExecutableSchema }

var _ graphql.ExecutableSchema = subgraph{}

// Schema is what the executor validates queries against and computes
// their cost over.
func (subgraph) Schema() *ast.Schema { return parsedSchema }
