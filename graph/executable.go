package graph

import (
	"bytes"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
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

// SpecDirectives are the directives the GraphQL specification defines
// (@oneOf since its September 2025 edition): every SDL reader declares them
// itself, so the SDL leaves them out, as graphql-js's printSchema does.
var SpecDirectives = []string{"deprecated", "include", "oneOf", "skip", "specifiedBy"}

// SDL returns the schema in GraphQL SDL, as served at /schema.graphql:
// the plain schema, with or without federation (a router reads the
// subgraph's SDL from Query._service). It declares every directive the
// server accepts but those of SpecDirectives: the schema's own (@personal)
// and those gqlparser's prelude adds beyond the specification (@defer),
// which the formatter would leave out as built-in, so tools that read the
// SDL would refuse a deferred document.
func SDL() []byte {
	shared := plainSchema
	s := *shared // a copy with a directives map of its own
	s.Directives = make(map[string]*ast.DirectiveDefinition, len(shared.Directives))
	for name, d := range shared.Directives {
		if builtIn(d.Position) && !slices.Contains(SpecDirectives, name) {
			declared := *d
			pos := *d.Position
			src := *pos.Src
			src.BuiltIn = false
			pos.Src = &src
			declared.Position = &pos
			d = &declared
		}
		s.Directives[name] = d
	}
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(&s)
	return b.Bytes()
}

func builtIn(p *ast.Position) bool { return p != nil && p.Src != nil && p.Src.BuiltIn }
