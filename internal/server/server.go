// Package server assembles the gateway's HTTP surface: the playground at /,
// GraphQL at /query (subscriptions over WebSocket there too), the SDL at
// /schema.graphql, Tanma's push receiver, /healthz, /readyz and /metrics,
// behind request ids and logs, CORS and cross-origin protection, caller
// authentication, body and method rules, and a request deadline.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/tanma-gql/gateway/graph"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/customers"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/metrics"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/requestlog"
	"github.com/tanma-gql/gateway/internal/tanma"
	"github.com/tanma-gql/gateway/web/playground"
)

// Version is the gateway's version, shown in the playground.
var Version = "dev"

// Options are what the HTTP surface is built from.
type Options struct {
	Resolver *graph.Resolver
	Auth     *auth.Authenticator // who may call; required
	// GraphQL configures the executor; its Limits bound the HTTP side too
	// (body size, requests in flight) and its Introspection policy the SDL
	// route.
	GraphQL        executor.Options
	CORS           CORS          // which browser origins may call
	RequestTimeout time.Duration // bound on one GraphQL request (0: none)
	// SimpleGET lets GET queries through without a preflight-forcing
	// header or a listed Origin. Off by default (cross-site request
	// forgery protection).
	SimpleGET  bool
	Playground bool             // serve the playground at /
	Metrics    *metrics.Metrics // where requests are counted (nil: nowhere)
	// MetricsRoute serves Metrics at GET /metrics and UpstreamStatus at GET
	// /upstream-status here: only without caller authentication and
	// without a listener of their own (METRICS_ADDR).
	MetricsRoute bool
	// Ready reports whether this process can serve (nil: always); draining
	// is the server's own.
	Ready func(ctx context.Context) error
	// UpstreamStatus (nil: none) is the /upstream-status document, served
	// beside the metrics: what the gateway has seen of Tanma.
	UpstreamStatus func() any
	// SandboxControl (nil: none; sandbox mode only) serves /sandbox/: the
	// embedded sandbox's simulate endpoints, to play Tanma's part.
	SandboxControl http.Handler
	// Events (nil: none) receives Tanma's push events at POST EventsPath:
	// no caller authentication or CORS (it checks Tanma's signature).
	Events     http.Handler
	EventsPath string
	// NoFederation (FEDERATION=off) serves graph's plain schema: no
	// Federation 2 _service and _entities (graph.NewPlainSchema).
	NoFederation bool
}

// Server is the gateway's HTTP handler.
type Server struct {
	handler  http.Handler
	draining atomic.Bool
	// streams ends with EndSubscriptions: every WebSocket connection's
	// context derives from it.
	streams    context.Context
	endStreams context.CancelFunc
}

var _ http.Handler = (*Server)(nil)

// New builds the handler.
func New(o Options) (*Server, error) {
	s := &Server{}
	s.streams, s.endStreams = context.WithCancel(context.Background())
	mux := http.NewServeMux()
	log := o.Resolver.Log
	o.GraphQL.Limits = o.GraphQL.Limits.WithDefaults()
	o.GraphQL.Metrics, o.GraphQL.Log = o.Metrics, log
	o.GraphQL.Subscriptions.Authenticate = socketAuthenticator(o.Auth)
	lim := o.GraphQL.Limits
	handler := GraphQL
	if o.NoFederation {
		handler = PlainGraphQL
	}
	gql := handler(o.Resolver, o.GraphQL)
	// A request goes down: request log → CORS and cross-site rules → auth
	// → body and method rules → deadline → admission → loaders → executor
	// → graph's resolvers (in open mode the listed-origins guard comes
	// before CORS). A WebSocket upgrade: request log → Origin check →
	// loaders → executor, which authenticates the connection.
	api := o.Auth.Middleware(withCaller(guardBody(lim.MaxBodyBytes, graphqlMethods(o.SimpleGET, o.CORS.AllowedOrigins, lim.MaxTokens,
		withTimeout(o.RequestTimeout, limits.Admit(lim.MaxInFlight, o.Metrics, gql))))))
	// Without caller authentication, browsers are held to the listed
	// origins (originPolicy): outermost, before CORS answers anything.
	origins := originPolicy{allowed: o.CORS.AllowedOrigins, own: o.CORS.Own, strict: o.Auth.Open()}
	api, err := o.CORS.crossOrigin(api)
	if err != nil {
		return nil, err
	}
	api = origins.guard(api)
	ws := s.webSocket(origins, gql)
	mux.Handle("/query", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebSocket(r) {
			ws.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}))

	sdl := graph.SDL()
	schema, err := o.CORS.crossOrigin(o.Auth.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := auth.FromContext(r.Context())
		if !o.GraphQL.Introspection.Allows(c) {
			writeError(w, r, http.StatusForbidden, "this caller may not read the schema (it needs the introspect permission)")
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(sdl)
	})))
	if err != nil {
		return nil, err
	}
	schema = origins.guard(schema)
	mux.Handle("GET /schema.graphql", schema)
	mux.Handle("OPTIONS /schema.graphql", schema) // CORS preflights of dashboards fetching the SDL

	if o.Playground {
		mux.Handle("/", playground.Handler(playground.Config{Endpoint: "/query", Title: "Tanma GraphQL gateway", Version: Version}))
	}
	if o.Events != nil {
		mux.Handle(o.EventsPath, o.Events)
	}
	if o.SandboxControl != nil {
		mux.Handle("/sandbox/", o.SandboxControl)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { text(w, http.StatusOK, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if s.draining.Load() {
			text(w, http.StatusServiceUnavailable, "draining")
			return
		}
		if o.Ready != nil {
			if err := o.Ready(r.Context()); err != nil {
				// Details stay off a port anyone may reach.
				text(w, http.StatusServiceUnavailable, "not ready")
				return
			}
		}
		text(w, http.StatusOK, "ready")
	})
	if o.Metrics != nil && o.MetricsRoute {
		mux.Handle("GET /metrics", o.Metrics.Handler())
		if o.UpstreamStatus != nil {
			mux.Handle("GET /upstream-status", StatusHandler(o.UpstreamStatus))
		}
	}
	s.handler = requestlog.Middleware(log, graphqlMetrics(o.Metrics), mux)
	return s, nil
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Drain makes /readyz fail so load balancers stop sending traffic before shutdown.
func (s *Server) Drain() { s.draining.Store(true) }

// EndSubscriptions closes every WebSocket connection (their clients
// reconnect, to another replica): at shutdown, which does not wait for
// hijacked connections.
func (s *Server) EndSubscriptions() { s.endStreams() }

// NewResolver builds the GraphQL edge's dependency root over an upstream
// client: the reference data cached under policy p and the customer store,
// counting in m (nil: nowhere) the values that could not be typed and the
// answers outside Tanma's documented shape.
func NewResolver(client *tanma.Client, log *slog.Logger, p refdata.Policy, m *metrics.Metrics) *graph.Resolver {
	catalog := refdata.NewCatalog(client, p, log)
	store := customers.New(customers.Options{Client: client, Catalog: catalog, Log: log, OnInvalid: m.UpstreamInvalid})
	r := graph.NewResolver(store, catalog, log)
	r.OnUntyped = m.Untyped
	return r
}

// GraphQL is the GraphQL handler over r: the request's loaders, then the
// executor running graph's schema as a Federation 2 subgraph (the
// default); each subscription event gets loaders of its own.
func GraphQL(r *graph.Resolver, o executor.Options) http.Handler {
	return graphQL(r, o, graph.NewSchema(r))
}

// PlainGraphQL is GraphQL over graph's plain schema (FEDERATION=off).
func PlainGraphQL(r *graph.Resolver, o executor.Options) http.Handler {
	return graphQL(r, o, graph.NewPlainSchema(r))
}

func graphQL(r *graph.Resolver, o executor.Options, schema graphql.ExecutableSchema) http.Handler {
	deps := r.Customers.Loaders()
	deps.OnBatch = o.Metrics.Batch
	if o.Log == nil {
		o.Log = r.Log
	}
	o.Subscriptions.PerEvent = func(ctx context.Context) context.Context {
		return loaders.WithLoaders(ctx, loaders.NewForRequest(ctx, deps))
	}
	return loaders.Middleware(deps, executor.New(schema, o))
}

// withCaller notes the authenticated caller in the request log.
func withCaller(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, ok := auth.FromContext(r.Context()); ok {
			requestlog.From(r.Context()).SetCaller(c.ID)
		}
		next.ServeHTTP(w, r)
	})
}

// graphqlMetrics records every /query request by operation and outcome.
func graphqlMetrics(m *metrics.Metrics) requestlog.Done {
	return func(r *http.Request, status int, d time.Duration, s requestlog.Snapshot) {
		if r.URL.Path != "/query" || r.Method == http.MethodOptions {
			return
		}
		outcome := "ok"
		switch {
		case len(s.Codes) > 0:
			outcome = s.Codes[0]
		case status >= 400:
			outcome = string(apperr.BadRequest)
			if status == apperr.Unauthenticated.Status() {
				outcome = string(apperr.Unauthenticated)
			}
		}
		m.GraphQLRequest(s.Operation, outcome, d)
	}
}

func text(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(strings.TrimSpace(body) + "\n"))
}

// withTimeout bounds a request's context, so upstream work stops with it.
func withTimeout(d time.Duration, h http.Handler) http.Handler {
	if d <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}
