package graph

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
	"go.opentelemetry.io/otel/trace"

	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/metrics"
)

// Options tune the GraphQL handler; the zero value uses the defaults.
type Options struct {
	Limits  Limits           // what one operation may ask
	Metrics *metrics.Metrics // nil: none
	Tracer  trace.Tracer     // nil: no spans
	// PersistedQueries caches automatic persisted queries (nil: an LRU of
	// 100 in this process; see internal/shared for one every replica shares).
	PersistedQueries graphql.Cache[string]
	// TrustedDocuments, when not nil, are the only documents that may run.
	TrustedDocuments TrustedDocuments
}

// NewHandler returns the GraphQL HTTP handler: per-request loaders, POST
// (JSON) and GET (queries only) transports, automatic persisted queries, a
// parsed-query cache, the operation limits and introspection policy (see
// Limits), the error presenter and panic recovery. Nothing else is enabled
// (no multipart, no form posts, no websockets). Responses follow GraphQL over
// HTTP: application/json unless the caller accepts only
// application/graphql-response+json (then a request error is a 400), and a
// request error carries no data entry.
func NewHandler(r *Resolver, o Options) http.Handler {
	lim := o.Limits.withDefaults()
	srv := handler.New(NewExecutableSchema(Config{Resolvers: r, Complexity: complexity()}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(getTransport{})
	srv.AddTransport(postTransport{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(lim.MaxTokens)
	if lim.Introspection != IntrospectionOn {
		// "Did you mean ...?" would reveal the schema to whoever may not introspect it.
		srv.SetDisableSuggestion(true)
		srv.SetValidationRulesFn(rulesWithoutSuggestions)
	}
	for _, ext := range extensions(o, lim) {
		srv.Use(ext)
	}
	srv.SetErrorPresenter(presenter(r.Log))
	srv.SetRecoverFunc(recoverer(r.Log))
	return withoutDataOnRequestError(loaders.Middleware(loaders.Deps{Client: r.Tanma, Catalog: r.Catalog, OnBatch: o.Metrics.Batch,
		Recent: r.recent}, srv))
}

// extensions are the handler's extensions, in order. None is a
// graphql.FieldInterceptor: the executor marshals plain leaf fields
// without gqlgen's per-field machinery (internal/execgen), so a field
// interceptor would not see them (TestNoFieldInterceptors).
func extensions(o Options, lim Limits) []graphql.HandlerExtension {
	var exts []graphql.HandlerExtension
	apq := o.PersistedQueries
	if apq == nil {
		apq = lru.New[string](100)
	}
	if o.TrustedDocuments != nil {
		exts = append(exts, trustedOnly{docs: o.TrustedDocuments}) // before APQ: nothing untrusted is registered
		apq = trustedCache{docs: o.TrustedDocuments}
	}
	exts = append(exts,
		persistedQueries{extension.AutomaticPersistedQuery{Cache: apq}},
		fieldCap{maxFields: lim.MaxFields, maxTokens: lim.MaxTokens}, // after APQ: it needs the query text
		&limitsExtension{limits: lim, metrics: o.Metrics})
	if s, ok := apq.(sharer); ok {
		exts = append(exts, apqShare{cache: s}) // after the limits: only documents that may run are shared
	}
	if o.Tracer != nil {
		exts = append(exts, tracingExtension{tracer: o.Tracer})
	}
	return append(exts, executionMarker{})
}

// rulesWithoutSuggestions is the standard validation with every rule that
// suggests names ("Did you mean ...?") replaced by its silent variant.
func rulesWithoutSuggestions() *rules.Rules {
	r := rules.NewDefaultRules()
	for _, silent := range []core.Rule{
		rules.FieldsOnCorrectTypeRuleWithoutSuggestions, rules.KnownArgumentNamesRuleWithoutSuggestions,
		rules.KnownTypeNamesRuleWithoutSuggestions, rules.ScalarLeafsRuleWithoutSuggestions,
		rules.ValuesOfCorrectTypeRuleWithoutSuggestions,
	} {
		r.RemoveRule(strings.TrimSuffix(silent.Name, "WithoutSuggestions"))
		r.AddRule(silent.Name, silent.RuleFunc)
	}
	return r
}

// SDL returns the schema in GraphQL SDL, as served at /schema.graphql.
func SDL() []byte {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(NewExecutableSchema(Config{}).Schema())
	return b.Bytes()
}
