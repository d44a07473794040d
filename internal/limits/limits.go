// Package limits is where every bound on what callers may ask and spend
// lives: the one Limits type with its defaults (what one request may ask,
// read from the environment by internal/config), each caller's budget of
// query cost (Budget), and the bound on requests executing at once
// (Admit). The checks of an operation's shape and cost against Limits run
// in internal/executor; the app's upstream QPS quota is internal/tanma's
// (tanma.Quota).
package limits

import (
	"runtime"
	"time"
)

// Limits bound what one request may ask and spend. A zero field means the
// default (Defaults), except the caller budget, where zero turns it off.
type Limits struct {
	MaxBodyBytes  int64 // MAX_BODY_BYTES: a GraphQL request body (default 1 MiB)
	MaxTokens     int   // MAX_TOKENS: parser tokens of a document (default 15,000)
	MaxFields     int   // MAX_FIELDS: field selections, fragments counted per spread (default 2,000)
	MaxDepth      int   // MAX_DEPTH: nesting of fields, introspection excluded (default 12)
	MaxAliases    int   // MAX_ALIASES: aliased fields (default 30)
	MaxRootFields int   // MAX_ROOT_FIELDS: top-level fields (default 20)
	MaxDirectives int   // MAX_DIRECTIVES: directives on one field (default 50)
	MaxComplexity int   // MAX_COMPLEXITY: an operation's cost (default 10,000; see graph/complexity.go)
	// MaxInFlight bounds the GraphQL requests executing at once
	// (MAX_IN_FLIGHT; default 16 per core): the others wait for a slot up
	// to their deadline (Admit). Each executing request holds its whole
	// response in memory, so this bounds memory under overload.
	MaxInFlight int
	// MaxSubscriptionsPerConnection bounds the subscriptions one WebSocket
	// connection has open at once (MAX_SUBSCRIPTIONS_PER_CONNECTION,
	// default 20); MaxSubscriptionsPerCaller those of one caller on one
	// replica (MAX_SUBSCRIPTIONS_PER_CALLER, default 100).
	MaxSubscriptionsPerConnection int
	MaxSubscriptionsPerCaller     int
	// MaxSocketsPerCaller bounds the WebSocket connections one caller (an
	// API key, a JWT subject, every anonymous caller together) holds open
	// on one replica (MAX_SOCKETS_PER_CALLER, default 50);
	// MaxSocketsPerAddress those from one client address
	// (MAX_SOCKETS_PER_ADDRESS, default 200: behind a proxy every client
	// has the proxy's address). SocketIdleTimeout closes a connection
	// without a subscription for that long (SOCKET_IDLE_TIMEOUT, default 5
	// minutes).
	MaxSocketsPerCaller  int
	MaxSocketsPerAddress int
	SocketIdleTimeout    time.Duration
	// CallerCostPerSecond refills each caller's budget of query cost
	// (CALLER_COST_PER_SECOND; default 20,000, off with the sandbox; 0: off).
	CallerCostPerSecond float64
	CallerCostBurst     int // CALLER_COST_BURST (default 5 seconds' worth)
}

// Defaults are the limits of a gateway configured with nothing.
func Defaults() Limits {
	return Limits{
		MaxBodyBytes:                  1 << 20,
		MaxTokens:                     15000,
		MaxFields:                     2000,
		MaxDepth:                      12,
		MaxAliases:                    30,
		MaxRootFields:                 20,
		MaxDirectives:                 50,
		MaxComplexity:                 10000,
		MaxInFlight:                   16 * runtime.GOMAXPROCS(0),
		MaxSubscriptionsPerConnection: 20,
		MaxSubscriptionsPerCaller:     100,
		MaxSocketsPerCaller:           50,
		MaxSocketsPerAddress:          200,
		SocketIdleTimeout:             5 * time.Minute,
		CallerCostPerSecond:           20000,
		CallerCostBurst:               5 * 20000,
	}
}

// WithDefaults returns l with every zero bound set to its default (the
// caller budget stays as it is: zero turns it off).
func (l Limits) WithDefaults() Limits {
	d := Defaults()
	def := func(v *int, dv int) {
		if *v <= 0 {
			*v = dv
		}
	}
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = d.MaxBodyBytes
	}
	def(&l.MaxTokens, d.MaxTokens)
	def(&l.MaxFields, d.MaxFields)
	def(&l.MaxDepth, d.MaxDepth)
	def(&l.MaxAliases, d.MaxAliases)
	def(&l.MaxRootFields, d.MaxRootFields)
	def(&l.MaxDirectives, d.MaxDirectives)
	def(&l.MaxComplexity, d.MaxComplexity)
	def(&l.MaxInFlight, d.MaxInFlight)
	def(&l.MaxSubscriptionsPerConnection, d.MaxSubscriptionsPerConnection)
	def(&l.MaxSubscriptionsPerCaller, d.MaxSubscriptionsPerCaller)
	def(&l.MaxSocketsPerCaller, d.MaxSocketsPerCaller)
	def(&l.MaxSocketsPerAddress, d.MaxSocketsPerAddress)
	if l.SocketIdleTimeout <= 0 {
		l.SocketIdleTimeout = d.SocketIdleTimeout
	}
	return l
}
