// Package executor runs GraphQL over HTTP for an executable schema: the
// transports, the operation limits and introspection policy, automatic
// persisted queries and trusted documents, tracing, the one error
// presenter, and the shape of request errors. It knows no resolver: the
// schema comes from graph, the request's loaders from internal/server.
package executor

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
	"go.opentelemetry.io/otel/trace"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/bytecache"
	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/metrics"
)

// Options tune the executor; the zero value uses the defaults.
type Options struct {
	Limits limits.Limits // what one operation may ask (zero fields: the defaults)
	// Introspection is who may introspect the schema (zero:
	// auth.IntrospectionPermission).
	Introspection auth.Introspection
	// CallerBudget, when set, charges each operation's cost to its caller.
	CallerBudget limits.Budget
	Log          *slog.Logger     // where resolver errors and panics are logged (nil: nowhere)
	Metrics      *metrics.Metrics // nil: none
	Tracer       trace.Tracer     // nil: no spans
	// PersistedQueries caches automatic persisted queries (nil: an LRU of
	// 8 MiB in this process; see internal/redisstore for one every replica
	// shares).
	PersistedQueries graphql.Cache[string]
	// TrustedDocuments, when not nil, are the only documents that may run.
	TrustedDocuments TrustedDocuments
	// Subscriptions configure subscriptions over WebSocket (off unless
	// Subscriptions.Authenticate is set).
	Subscriptions Subscriptions

	queryCache *bytecache.Cache[*ast.QueryDocument] // nil: a new one (tests look into theirs)
}

// New returns the GraphQL HTTP handler of schema: POST (JSON), GET
// (queries only) and, when Subscriptions.Authenticate is set, WebSocket
// (subscriptions only) transports, automatic persisted queries, a
// parsed-query cache bounded by size (querycache.go), the operation
// limits and introspection policy, at most 20 validation errors an answer,
// @defer (a POSTed query that defers fields answered in multipart/mixed
// parts when the client accepts them, every other answer one JSON document
// with the deferred fields inline), the error presenter and panic
// recovery. Nothing else is enabled (no multipart requests, no form posts,
// no server-sent events).
// Responses follow GraphQL over HTTP:
// application/json unless the caller accepts only
// application/graphql-response+json (then a request error is a 400), and a
// request error carries no data entry. The request's loaders are the
// caller's to provide (internal/server wraps this handler with them).
func New(schema graphql.ExecutableSchema, o Options) http.Handler {
	o.Limits = o.Limits.WithDefaults()
	if o.queryCache == nil {
		o.queryCache = newQueryCache()
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	srv := handler.New(schema)
	if o.Subscriptions.Authenticate != nil {
		srv.AddTransport(webSocket(o.Subscriptions, o.Limits))
	}
	srv.AddTransport(transport.Options{})
	srv.AddTransport(getTransport{})
	srv.AddTransport(postTransport{})
	srv.SetQueryCache(o.queryCache)
	srv.SetParserTokenLimit(o.Limits.MaxTokens)
	validationRules := rules.NewDefaultRules
	if o.Introspection != auth.IntrospectionOn {
		// "Did you mean ...?" would reveal the schema to whoever may not introspect it.
		srv.SetDisableSuggestion(true)
		validationRules = rulesWithoutSuggestions
	}
	srv.SetValidationRulesFn(cappedErrors(validationRules))
	for _, ext := range extensions(o) {
		srv.Use(ext)
	}
	srv.SetErrorPresenter(presenter(o.Log))
	srv.SetRecoverFunc(recoverer(o.Log))
	h := withoutDataOnRequestError(srv)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			r = withSocket(r) // the connection's state, from the upgrade to its close
		}
		h.ServeHTTP(w, r)
	})
}

// extensions are the handler's extensions, in order. None is a
// graphql.FieldInterceptor: the executor marshals plain leaf fields
// without gqlgen's per-field machinery (internal/execgen), so a field
// interceptor would not see them (TestNoFieldInterceptors).
func extensions(o Options) []graphql.HandlerExtension {
	var exts []graphql.HandlerExtension
	var apq graphql.Cache[string] = callerQueries{cache: bytecache.New(persistedQueryBytes, bytecache.StringSize)}
	if o.PersistedQueries != nil {
		apq = callerQueries{cache: o.PersistedQueries}
	}
	if o.TrustedDocuments != nil {
		exts = append(exts, trustedOnly{docs: o.TrustedDocuments}) // before APQ: nothing untrusted is registered
		apq = trustedCache{docs: o.TrustedDocuments}
	}
	exts = append(exts,
		persistedQueries{extension.AutomaticPersistedQuery{Cache: apq}},
		fieldCap{maxFields: o.Limits.MaxFields, maxTokens: o.Limits.MaxTokens, checked: o.queryCache.Contains}, // after APQ: it needs the query text
		&limitsExtension{limits: o.Limits, introspection: o.Introspection, budget: o.CallerBudget, metrics: o.Metrics})
	if _, shared := o.PersistedQueries.(sharer); shared && o.TrustedDocuments == nil {
		exts = append(exts, apqShare{cache: apq.(sharer)}) // after the limits: only documents that may run are shared
	}
	if o.Tracer != nil {
		exts = append(exts, tracingExtension{tracer: o.Tracer})
	}
	exts = append(exts, &subscriptionLimits{perConnection: o.Limits.MaxSubscriptionsPerConnection,
		perCaller: o.Limits.MaxSubscriptionsPerCaller, perEvent: o.Subscriptions.PerEvent, byCaller: map[string]int{}})
	return append(exts, inlineDefer{}, executionMarker{}, collectedFields{})
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
