package executor

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	coderws "github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/requestlog"
)

// Subscriptions configure GraphQL subscriptions over WebSocket.
type Subscriptions struct {
	// Authenticate decides who opened a connection, from the credentials
	// of its upgrade request or of its connection_init payload, and returns
	// ctx with the caller (auth.WithCaller). Nil: no WebSocket transport.
	// The upgrade's Origin is checked before (internal/server).
	Authenticate func(ctx context.Context, payload map[string]any) (context.Context, error)
	// PerEvent (may be nil) prepares the context each event of a
	// subscription is resolved in: fresh request loaders, so an event sees
	// the data as it is now, not as the connection first read it.
	PerEvent func(ctx context.Context) context.Context
	// KeepAlive is how often an idle connection is pinged (default 15 s).
	KeepAlive time.Duration
	// Recheck is how often a connection's credentials are checked again
	// (default 1 minute; see WithRecheck): one no longer accepted ends the
	// connection with 4403. A token's expiry ends it at that moment.
	Recheck time.Duration
}

// webSocket is gqlgen's WebSocket transport (graphql-transport-ws and the
// older graphql-ws protocol) with the gateway's authentication and
// bounds: connection_init within 10 s, messages no larger than a request
// body, keep-alive pings.
func webSocket(s Subscriptions, lim limits.Limits) transport.Websocket {
	keepAlive := s.KeepAlive
	if keepAlive <= 0 {
		keepAlive = 15 * time.Second
	}
	recheck := s.Recheck
	if recheck <= 0 {
		recheck = defaultRecheck
	}
	readLimit := lim.MaxBodyBytes
	socks := newSockets(
		// The Origin was checked by internal/server, against the same
		// allowed origins as CORS.
		transport.CoderWebsocketImplementation{AcceptOptions: coderws.AcceptOptions{InsecureSkipVerify: true}},
		socketBounds{perCaller: lim.MaxSocketsPerCaller, perAddress: lim.MaxSocketsPerAddress, idle: lim.SocketIdleTimeout, recheck: recheck},
		readLimit)
	return transport.Websocket{
		Implementation:        socks,
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: keepAlive,
		PingPongInterval:      keepAlive,
		PayloadReadLimit:      &readLimit,
		InitFunc: func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			ctx, err := s.Authenticate(ctx, payload)
			if err != nil {
				// graphql-transport-ws: 4403 Forbidden ends a connection
				// whose init was refused.
				return transport.WithWebsocketCloseCode(ctx, closeForbidden), nil, err
			}
			c, _ := auth.FromContext(ctx)
			if code, reason := socks.admit(ctx, c, recheckFrom(ctx)); code != 0 {
				return transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, code), reason), nil, errors.New(reason)
			}
			return withConnection(ctx), nil, nil
		},
	}
}

// connection counts one WebSocket connection's open subscriptions.
type connection struct {
	mu   sync.Mutex
	open int
}

type connectionKey struct{}

func withConnection(ctx context.Context) context.Context {
	return context.WithValue(ctx, connectionKey{}, &connection{})
}

// subscriptionLimits bounds the subscriptions open at once on one
// connection (MaxSubscriptionsPerConnection) and for one caller on this
// replica (MaxSubscriptionsPerCaller), keeps queries and mutations off the
// WebSocket, and prepares each event's context (Subscriptions.PerEvent).
type subscriptionLimits struct {
	perConnection, perCaller int
	perEvent                 func(context.Context) context.Context

	mu       sync.Mutex
	byCaller map[string]int
}

var (
	_ graphql.HandlerExtension     = (*subscriptionLimits)(nil)
	_ graphql.OperationInterceptor = (*subscriptionLimits)(nil)
	_ graphql.ResponseInterceptor  = (*subscriptionLimits)(nil)
)

func (*subscriptionLimits) ExtensionName() string                   { return "SubscriptionLimits" }
func (*subscriptionLimits) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation takes a slot for a subscription, or refuses it with
// QUERY_LIMIT_EXCEEDED; the slot is given back when the subscription ends.
//
// A query or mutation sent over a WebSocket is refused: it would run
// outside MAX_IN_FLIGHT and the request deadline, which the HTTP
// transports apply.
func (l *subscriptionLimits) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	rc := graphql.GetOperationContext(ctx)
	conn, _ := ctx.Value(connectionKey{}).(*connection)
	if rc.Operation == nil || rc.Operation.Operation != ast.Subscription {
		if conn != nil {
			err := gqlerror.Errorf("queries and mutations are served over HTTP (POST to this address); the WebSocket carries subscriptions")
			setCode(err, apperr.BadRequest)
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
		}
		return next(ctx)
	}
	caller, _ := auth.FromContext(ctx)
	key := budgetKey(caller, requestlog.From(ctx))
	if err := l.take(conn, key); err != nil {
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{err}})
	}
	context.AfterFunc(ctx, func() { l.give(conn, key) })
	return next(ctx)
}

// InterceptResponse gives each event of a subscription its own context,
// under its root field.
func (l *subscriptionLimits) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	// A request refused before it became an operation has no operation
	// context (and is no subscription).
	if graphql.HasOperationContext(ctx) {
		if rc := graphql.GetOperationContext(ctx); rc.Operation != nil && rc.Operation.Operation == ast.Subscription {
			ctx = underRootField(ctx, rc)
			if l.perEvent != nil {
				ctx = l.perEvent(ctx)
			}
		}
	}
	return next(ctx)
}

// underRootField is ctx under the subscription's root field. gqlgen
// resolves an event's fields in the operation's context, not the root
// field's, so the path of an error in an event would start below the root
// field ([customer, remark] for customerChanged.customer.remark); with the
// root field's context it is whole, as the GraphQL spec asks.
func underRootField(ctx context.Context, rc *graphql.OperationContext) context.Context {
	fields := graphql.CollectFields(rc, rc.Operation.SelectionSet, []string{"Subscription"})
	if len(fields) != 1 || graphql.GetFieldContext(ctx) != nil {
		return ctx
	}
	return graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Subscription", Field: fields[0], IsResolver: true})
}

func (l *subscriptionLimits) take(conn *connection, key string) *gqlerror.Error {
	if conn != nil {
		conn.mu.Lock()
		defer conn.mu.Unlock()
		if conn.open >= l.perConnection {
			return subscriptionLimitError("subscriptionsPerConnection", l.perConnection)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byCaller[key] >= l.perCaller {
		return subscriptionLimitError("subscriptionsPerCaller", l.perCaller)
	}
	l.byCaller[key]++
	if conn != nil {
		conn.open++
	}
	return nil
}

func (l *subscriptionLimits) give(conn *connection, key string) {
	if conn != nil {
		conn.mu.Lock()
		conn.open--
		conn.mu.Unlock()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byCaller[key]--; l.byCaller[key] <= 0 {
		delete(l.byCaller, key)
	}
}

func subscriptionLimitError(limit string, n int) *gqlerror.Error {
	err := gqlerror.Errorf("too many subscriptions open: at most %d (%s); close one first", n, limit)
	setCode(err, apperr.QueryLimitExceeded)
	err.Extensions["limit"] = limit
	return err
}
