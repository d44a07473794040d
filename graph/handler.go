package graph

import (
	"bytes"
	"net/http"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/tanma-gql/gateway/internal/loaders"
)

// Options tune the GraphQL handler; the zero value uses the defaults.
type Options struct {
	ComplexityLimit int // budget of one operation (default DefaultComplexityLimit)
}

// NewHandler returns the GraphQL HTTP handler: per-request loaders, POST
// (JSON) and GET (queries only) transports, introspection, a parsed-query
// cache, the error presenter and panic recovery. Nothing else is enabled (no
// multipart, no form posts).
func NewHandler(r *Resolver, o Options) http.Handler {
	if o.ComplexityLimit <= 0 {
		o.ComplexityLimit = DefaultComplexityLimit
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: r, Complexity: complexity()}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.FixedComplexityLimit(o.ComplexityLimit))
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.SetErrorPresenter(presenter(r.Log))
	srv.SetRecoverFunc(recoverer(r.Log))
	return loaders.Middleware(loaders.Deps{Client: r.Tanma, Catalog: r.Catalog}, srv)
}

// SDL returns the schema in GraphQL SDL, as served at /schema.graphql.
func SDL() []byte {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(NewExecutableSchema(Config{}).Schema())
	return b.Bytes()
}
