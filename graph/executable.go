package graph

import (
	"bytes"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/formatter"
)

// NewSchema returns the executable schema over r as a Federation 2
// subgraph (the default; see subgraph.go): the schema of NewPlainSchema,
// plus Query._service and Query._entities for a router. Introspection
// shows the plain schema either way.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return subgraph{NewPlainSchema(r)}
}

// NewPlainSchema returns the executable schema over r without federation
// (FEDERATION=off): _service, _entities and the federation types are not
// in it, so a query naming them fails validation. It carries the query
// cost model (complexity.go); internal/executor runs it over HTTP.
func NewPlainSchema(r *Resolver) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{Schema: plainSchema, Resolvers: r, Complexity: complexity()})
}

// SDL returns the schema in GraphQL SDL, as served at /schema.graphql:
// the plain schema, with or without federation (a router reads the
// subgraph's SDL from Query._service).
func SDL() []byte {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(plainSchema)
	return b.Bytes()
}
