package executor

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/tanma-gql/gateway/internal/auth"
)

// The bounds on WebSocket connections, around gqlgen's transport (its
// Implementation, wrapped): how many each client address and each caller
// may hold open, how long one may stay open without a subscription, how
// long its credentials hold it open (a token's expiry, the credential
// still being accepted), and graphql-transport-ws spoken exactly
// (socketconn.go, socketframes.go).

// Close codes the gateway ends a connection with: RFC 6455's and
// graphql-transport-ws's, 4429 also for a connection over a bound.
const (
	closeNormal        = 1000 // idle: no subscription for a while
	closeInvalidUTF8   = 1007 // a text frame that is not UTF-8 (RFC 6455)
	closeTooBig        = 1009 // a frame larger than MAX_BODY_BYTES (RFC 6455)
	closeBadRequest    = 4400 // graphql-transport-ws: an invalid message
	closeUnauthorized  = 4401 // graphql-transport-ws: subscribe before connection_ack
	closeForbidden     = 4403 // graphql-transport-ws: credentials refused, or no longer valid
	closeSubscriberDup = 4409 // graphql-transport-ws: a subscription id already in use
	closeTooMany       = 4429 // graphql-transport-ws: a second connection_init; also: over a connection bound
)

// socketBounds are the limits on connections (internal/limits: how many
// per caller and per client address, how long idle) and how often a
// connection's credentials are checked again.
type socketBounds struct {
	perCaller, perAddress int
	idle, recheck         time.Duration
}

// defaultRecheck is how often a connection's credentials are checked again
// (Subscriptions.Recheck).
const defaultRecheck = time.Minute

// sockets accepts WebSocket connections for gqlgen's transport, each
// guarded, and counts them by client address and caller.
type sockets struct {
	inner     transport.WebsocketImplementation
	bounds    socketBounds
	readLimit int64

	mu        sync.Mutex
	byAddress map[string]int
	byCaller  map[string]int
}

var _ transport.WebsocketImplementation = (*sockets)(nil)

func newSockets(inner transport.WebsocketImplementation, b socketBounds, readLimit int64) *sockets {
	return &sockets{inner: inner, bounds: b, readLimit: readLimit, byAddress: map[string]int{}, byCaller: map[string]int{}}
}

// Accept upgrades the connection (reading its frames through a guard that
// refuses a frame larger than the read limit as soon as its header
// arrives) and counts it for its client address until its socket is
// closed; over the bound, it is closed at once with 4429, and nothing it
// sent reaches gqlgen.
func (s *sockets) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	fw := &framedWriter{ResponseWriter: w, limit: s.readLimit}
	inner, err := s.inner.Accept(fw, r, o)
	if err != nil {
		return nil, err
	}
	c := newGuardedConn(inner, s.bounds.idle)
	fw.whenTooBig(func() { c.closeWith(closeTooBig, fmt.Sprintf("a frame larger than %d bytes", s.readLimit)) })
	// A connection counts until its socket is closed, seconds after its
	// close frame when the peer does not answer it.
	c.gone.Store(fw.whenGone(c.finish))
	// Taken, then given back when the connection ends (at once if it has).
	address := clientAddress(r)
	over := !s.take(s.byAddress, address, s.bounds.perAddress)
	c.onClose(func() { s.release(s.byAddress, address) })
	if over {
		c.closeWith(closeTooMany, fmt.Sprintf("too many open connections from this address (at most %d)", s.bounds.perAddress))
	}
	if st, ok := r.Context().Value(socketKey{}).(*socketState); ok {
		st.conn = c
	}
	return c, nil
}

func (s *sockets) take(counts map[string]int, key string, max int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	counts[key]++
	return counts[key] <= max
}

func (s *sockets) release(counts map[string]int, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if counts[key]--; counts[key] <= 0 {
		delete(counts, key)
	}
}

// clientAddress is the address a connection came from (its IP).
func clientAddress(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// socketState is one connection's, from the upgrade (WithSocket) to its
// close: the guarded connection, found by connection_init's handling.
type socketState struct {
	conn *guardedConn
}

type socketKey struct{}

// withSocket prepares a WebSocket upgrade's context for its connection.
func withSocket(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), socketKey{}, &socketState{}))
}

// admit binds an authenticated connection to its caller: counted for the
// caller (4429 over the bound), closed with 4403 when the caller's
// credential ends (c.Until) or, checked every Recheck, is no longer
// accepted (recheck, may be nil). It returns the close code and reason
// when the connection may not stay (0: it may).
func (s *sockets) admit(ctx context.Context, c auth.Caller, recheck func(context.Context) error) (int, string) {
	st, ok := ctx.Value(socketKey{}).(*socketState)
	if !ok || st.conn == nil {
		return 0, ""
	}
	key := string(c.Kind) + "\x00" + c.ID
	over := !s.take(s.byCaller, key, s.bounds.perCaller)
	st.conn.onClose(func() { s.release(s.byCaller, key) }) // at once if it has ended
	if over {
		return closeTooMany, fmt.Sprintf("too many open connections for this caller (at most %d)", s.bounds.perCaller)
	}
	if !c.Until.IsZero() {
		st.conn.closeAt(c.Until, closeForbidden, "the token expired: connect again with a fresh one")
	}
	if recheck != nil {
		st.conn.every(s.bounds.recheck, func() (int, string) {
			if err := recheck(context.WithoutCancel(ctx)); err != nil {
				return closeForbidden, "the credentials are no longer accepted: connect again with valid ones"
			}
			return 0, ""
		})
	}
	return 0, ""
}

type recheckKey struct{}

// WithRecheck returns ctx carrying how to check a connection's
// credentials again: Subscriptions.Authenticate returns it with the
// caller, so the connection ends when they are no longer accepted.
func WithRecheck(ctx context.Context, recheck func(context.Context) error) context.Context {
	return context.WithValue(ctx, recheckKey{}, recheck)
}

func recheckFrom(ctx context.Context) func(context.Context) error {
	f, _ := ctx.Value(recheckKey{}).(func(context.Context) error)
	return f
}
