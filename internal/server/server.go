// Package server assembles the gateway's HTTP surface: the playground at /,
// GraphQL at /query, the SDL at /schema.graphql, and the /healthz and
// /readyz probes, behind request ids, access logs and a request deadline.
package server

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/tanma-gql/gateway/graph"
	"github.com/tanma-gql/gateway/web/playground"
)

// Version is the gateway's version, shown in the playground.
var Version = "dev"

// Options are what the HTTP surface is built from.
type Options struct {
	Resolver       *graph.Resolver
	RequestTimeout time.Duration // bound on one GraphQL request (0: none)
	MaxBodyBytes   int64         // cap on a GraphQL request body (0: DefaultMaxBodyBytes)
	GraphQL        graph.Options // limits of the GraphQL handler
}

// Server is the gateway's HTTP handler.
type Server struct {
	mux      *http.ServeMux
	handler  http.Handler
	draining atomic.Bool
}

var _ http.Handler = (*Server)(nil)

// New builds the handler.
func New(o Options) *Server {
	s := &Server{mux: http.NewServeMux()}
	s.handler = AccessLog(o.Resolver.Log, s.mux)
	gql := graph.NewHandler(o.Resolver, o.GraphQL)
	sdl := graph.SDL()

	s.mux.Handle("/", playground.Handler(playground.Config{Endpoint: "/query", Title: "Tanma GraphQL gateway", Version: Version}))
	maxBody := o.MaxBodyBytes
	if maxBody <= 0 {
		maxBody = DefaultMaxBodyBytes
	}
	s.mux.Handle("/query", withTimeout(o.RequestTimeout, guardBody(maxBody, gql)))
	s.mux.HandleFunc("GET /schema.graphql", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(sdl)
	})
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { text(w, http.StatusOK, "ok") })
	s.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if s.draining.Load() {
			text(w, http.StatusServiceUnavailable, "draining")
			return
		}
		text(w, http.StatusOK, "ready")
	})
	return s
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Drain makes /readyz fail so load balancers stop sending traffic before shutdown.
func (s *Server) Drain() { s.draining.Store(true) }

func text(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body + "\n"))
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
