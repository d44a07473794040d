package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/limits"
)

// OpenOverride is the value INSECURE_ALLOW_UNAUTHENTICATED must have to
// serve real customer data without caller authentication.
const OpenOverride = "yes-expose-customer-data"

// AnonymousWritesOverride is the value INSECURE_ALLOW_ANONYMOUS_WRITES must
// have for unauthenticated callers to change a real tenant's customers.
const AnonymousWritesOverride = "yes-let-anyone-change-customers"

// Security is who may call the gateway and from which browser origins.
type Security struct {
	APIKeys []auth.APIKey   // API_KEYS: JSON array of {id, sha256, permissions, staff}
	JWT     *auth.JWTConfig // JWT_*: nil unless JWT_JWKS_URL is set
	// Open: no caller authentication. The default with the sandbox; against
	// the real upstream only with INSECURE_ALLOW_UNAUTHENTICATED.
	Open bool
	// OpenPermissions are the anonymous caller's permissions when Open: all
	// of them with the sandbox; against the real upstream only introspect,
	// plus write with INSECURE_ALLOW_ANONYMOUS_WRITES.
	OpenPermissions []string

	CORSOrigins     []string // CORS_ALLOWED_ORIGINS, comma-separated
	CORSCredentials bool     // CORS_ALLOW_CREDENTIALS
	SimpleGET       bool     // ALLOW_SIMPLE_GET: GET queries without a preflight-forcing header

	Introspection auth.Introspection // INTROSPECTION: on, permission or off
	Playground    bool               // PLAYGROUND: serve the playground at /
}

// sandboxOrigins are the dev servers of the example dashboard (Vite).
var sandboxOrigins = []string{"http://localhost:5173", "http://127.0.0.1:5173"}

func loadSecurity(e *env, sandbox bool) Security {
	var s Security
	if raw := e.get("API_KEYS"); raw != "" {
		keys, err := auth.ParseAPIKeys(raw)
		if err != nil {
			e.fail(fmt.Errorf("API_KEYS: %w", err))
		}
		s.APIKeys = keys
	}
	if url := e.get("JWT_JWKS_URL"); url != "" {
		s.JWT = &auth.JWTConfig{
			JWKSURL: url, Issuer: e.get("JWT_ISSUER"), Audience: e.get("JWT_AUDIENCE"),
			Algorithms: e.list("JWT_ALGORITHMS"), Leeway: e.duration("JWT_LEEWAY", 0),
			StaffClaim: e.get("JWT_STAFF_CLAIM"), PermissionsClaim: e.get("JWT_PERMISSIONS_CLAIM"),
		}
		// Fail closed: a token without a staff scope sees every customer,
		// so that is a choice to state, not the default of a missing name.
		unscoped := e.boolean("JWT_UNSCOPED", false)
		switch {
		case s.JWT.StaffClaim == "" && !unscoped:
			e.fail(errors.New("JWT_STAFF_CLAIM is missing: name the token claim that lists the staff (qwUserId) a caller may see, or set JWT_UNSCOPED=true to let every token see every customer"))
		case s.JWT.StaffClaim != "" && unscoped:
			e.fail(errors.New("JWT_STAFF_CLAIM and JWT_UNSCOPED=true contradict each other: set one"))
		}
	} else if e.get("JWT_ISSUER") != "" || e.get("JWT_AUDIENCE") != "" {
		e.fail(errors.New("JWT_ISSUER/JWT_AUDIENCE are set but JWT_JWKS_URL is missing"))
	}
	override := e.get("INSECURE_ALLOW_UNAUTHENTICATED")
	if override != "" && override != OpenOverride {
		e.fail(fmt.Errorf("INSECURE_ALLOW_UNAUTHENTICATED must be %q to run without authentication", OpenOverride))
	}
	writes := e.get("INSECURE_ALLOW_ANONYMOUS_WRITES")
	if writes != "" && writes != AnonymousWritesOverride {
		e.fail(fmt.Errorf("INSECURE_ALLOW_ANONYMOUS_WRITES must be %q to let unauthenticated callers write", AnonymousWritesOverride))
	}
	noAuth := len(s.APIKeys) == 0 && s.JWT == nil
	switch {
	case noAuth && sandbox:
		s.Open, s.OpenPermissions = true, auth.Permissions()
	case noAuth && override == OpenOverride:
		// Anonymous callers of a real tenant never see personal data whole.
		s.Open, s.OpenPermissions = true, []string{auth.PermIntrospect}
		if writes == AnonymousWritesOverride {
			s.OpenPermissions = append(s.OpenPermissions, auth.PermWrite)
		}
	case noAuth:
		e.fail(fmt.Errorf("no caller authentication: set API_KEYS and/or JWT_JWKS_URL (JWT_ISSUER, JWT_AUDIENCE), or INSECURE_ALLOW_UNAUTHENTICATED=%s to serve customer data to anyone who can reach the port", OpenOverride))
	}
	if writes != "" && !(s.Open && !sandbox) {
		e.fail(errors.New("INSECURE_ALLOW_ANONYMOUS_WRITES applies only with INSECURE_ALLOW_UNAUTHENTICATED against a real tenant (authenticated callers need the write permission)"))
	}

	s.CORSOrigins = e.list("CORS_ALLOWED_ORIGINS")
	if s.CORSOrigins == nil && sandbox {
		s.CORSOrigins = sandboxOrigins
	}
	s.CORSCredentials = e.boolean("CORS_ALLOW_CREDENTIALS", false)
	for _, o := range s.CORSOrigins {
		if o == "*" && s.CORSCredentials {
			e.fail(errors.New("CORS_ALLOWED_ORIGINS=* with CORS_ALLOW_CREDENTIALS would let any site read the API as the user"))
		}
	}
	s.SimpleGET = e.boolean("ALLOW_SIMPLE_GET", false)

	switch raw := e.get("INTROSPECTION"); {
	case raw != "":
		p, err := auth.ParseIntrospection(raw)
		if err != nil {
			e.fail(err)
		}
		s.Introspection = p
	case s.Open:
		s.Introspection = auth.IntrospectionOn
	default:
		s.Introspection = auth.IntrospectionPermission
	}
	s.Playground = e.boolean("PLAYGROUND", s.Introspection == auth.IntrospectionOn)
	return s
}

func loadLimits(e *env, sandbox bool) limits.Limits {
	l := limits.Defaults()
	l.MaxBodyBytes = int64(e.positive("MAX_BODY_BYTES", int(l.MaxBodyBytes)))
	l.MaxTokens = e.positive("MAX_TOKENS", l.MaxTokens)
	l.MaxFields = e.positive("MAX_FIELDS", l.MaxFields)
	l.MaxDepth = e.positive("MAX_DEPTH", l.MaxDepth)
	l.MaxAliases = e.positive("MAX_ALIASES", l.MaxAliases)
	l.MaxRootFields = e.positive("MAX_ROOT_FIELDS", l.MaxRootFields)
	l.MaxDirectives = e.positive("MAX_DIRECTIVES", l.MaxDirectives)
	l.MaxComplexity = e.positive("MAX_COMPLEXITY", l.MaxComplexity)
	l.MaxInFlight = e.positive("MAX_IN_FLIGHT", l.MaxInFlight)
	l.MaxSubscriptionsPerConnection = e.positive("MAX_SUBSCRIPTIONS_PER_CONNECTION", l.MaxSubscriptionsPerConnection)
	l.MaxSubscriptionsPerCaller = e.positive("MAX_SUBSCRIPTIONS_PER_CALLER", l.MaxSubscriptionsPerCaller)
	l.MaxSocketsPerCaller = e.positive("MAX_SOCKETS_PER_CALLER", l.MaxSocketsPerCaller)
	l.MaxSocketsPerAddress = e.positive("MAX_SOCKETS_PER_ADDRESS", l.MaxSocketsPerAddress)
	l.SocketIdleTimeout = e.duration("SOCKET_IDLE_TIMEOUT", l.SocketIdleTimeout)
	if sandbox {
		l.CallerCostPerSecond = 0
	}
	l.CallerCostPerSecond = e.nonNegative("CALLER_COST_PER_SECOND", l.CallerCostPerSecond)
	l.CallerCostBurst = e.positive("CALLER_COST_BURST", max(1, int(5*l.CallerCostPerSecond)))
	return l
}

// list splits a comma-separated setting; nil when unset.
func (e *env) list(name string) []string {
	raw := e.get(name)
	if raw == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(raw, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
