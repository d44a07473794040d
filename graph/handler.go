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
	"go.opentelemetry.io/otel/trace"

	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/metrics"
)

// Options tune the GraphQL handler; the zero value uses the defaults.
type Options struct {
	Limits  Limits           // what one operation may ask
	Metrics *metrics.Metrics // nil: none
	Tracer  trace.Tracer     // nil: no spans
}

// NewHandler returns the GraphQL HTTP handler: per-request loaders, POST
// (JSON) and GET (queries only) transports, automatic persisted queries, a
// parsed-query cache, the operation limits and introspection policy (see
// Limits), the error presenter and panic recovery. Nothing else is enabled
// (no multipart, no form posts, no websockets).
func NewHandler(r *Resolver, o Options) http.Handler {
	lim := o.Limits.withDefaults()
	srv := handler.New(NewExecutableSchema(Config{Resolvers: r, Complexity: complexity()}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(lim.MaxTokens)
	// "Did you mean ...?" would reveal the schema to whoever may not introspect it.
	srv.SetDisableSuggestion(lim.Introspection != IntrospectionOn)
	srv.Use(&limitsExtension{limits: lim, metrics: o.Metrics})
	if o.Tracer != nil {
		srv.Use(tracingExtension{tracer: o.Tracer})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.SetErrorPresenter(presenter(r.Log))
	srv.SetRecoverFunc(recoverer(r.Log))
	return loaders.Middleware(loaders.Deps{Client: r.Tanma, Catalog: r.Catalog, OnBatch: o.Metrics.Batch}, srv)
}

// SDL returns the schema in GraphQL SDL, as served at /schema.graphql.
func SDL() []byte {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(NewExecutableSchema(Config{}).Schema())
	return b.Bytes()
}
