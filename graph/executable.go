package graph

import (
	"bytes"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/formatter"
)

// NewSchema returns the executable schema over r, with the query cost
// model (complexity.go); internal/executor runs it over HTTP.
func NewSchema(r *Resolver) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{Resolvers: r, Complexity: complexity()})
}

// SDL returns the schema in GraphQL SDL, as served at /schema.graphql.
func SDL() []byte {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(NewExecutableSchema(Config{}).Schema())
	return b.Bytes()
}
