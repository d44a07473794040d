package config

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/tanma-gql/gateway/internal/auth"
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

	Introspection string // INTROSPECTION: on, permission or off
	Playground    bool   // PLAYGROUND: serve the playground at /
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
		s.Open, s.OpenPermissions = true, []string{auth.PermIntrospect}
		if writes == AnonymousWritesOverride {
			s.OpenPermissions = auth.Permissions()
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

	s.Introspection = e.get("INTROSPECTION")
	switch s.Introspection {
	case "":
		s.Introspection = "permission"
		if s.Open {
			s.Introspection = "on"
		}
	case "on", "permission", "off":
	default:
		e.fail(fmt.Errorf("INTROSPECTION must be on, permission or off, got %q", s.Introspection))
	}
	s.Playground = e.boolean("PLAYGROUND", s.Introspection == "on")
	return s
}

// Limits bound what one request may ask and spend.
type Limits struct {
	MaxBodyBytes  int64 // MAX_BODY_BYTES (default 1 MiB)
	MaxTokens     int   // MAX_TOKENS (default 15,000)
	MaxFields     int   // MAX_FIELDS: field selections, fragments counted per spread (default 2,000)
	MaxDepth      int   // MAX_DEPTH (default 12)
	MaxAliases    int   // MAX_ALIASES (default 30)
	MaxRootFields int   // MAX_ROOT_FIELDS (default 20)
	MaxDirectives int   // MAX_DIRECTIVES per field (default 50)
	MaxComplexity int   // MAX_COMPLEXITY (default 10,000)
	// CallerCostPerSecond refills each caller's budget (CALLER_COST_PER_SECOND;
	// default 20,000, 0 to turn off; off by default with the sandbox).
	CallerCostPerSecond float64
	CallerCostBurst     int // CALLER_COST_BURST (default 5 seconds' worth)
	// MaxInFlight bounds the GraphQL requests executing at once
	// (MAX_IN_FLIGHT; default 16 per core): the others wait for a slot up
	// to their deadline. Each executing request holds its whole response
	// in memory, so this bounds memory under overload.
	MaxInFlight int
}

func loadLimits(e *env, sandbox bool) Limits {
	l := Limits{
		MaxBodyBytes:  int64(e.positive("MAX_BODY_BYTES", 1<<20)),
		MaxTokens:     e.positive("MAX_TOKENS", 15000),
		MaxFields:     e.positive("MAX_FIELDS", 2000),
		MaxDepth:      e.positive("MAX_DEPTH", 12),
		MaxAliases:    e.positive("MAX_ALIASES", 30),
		MaxRootFields: e.positive("MAX_ROOT_FIELDS", 20),
		MaxDirectives: e.positive("MAX_DIRECTIVES", 50),
		MaxComplexity: e.positive("MAX_COMPLEXITY", 10000),
		MaxInFlight:   e.positive("MAX_IN_FLIGHT", 16*runtime.GOMAXPROCS(0)),
	}
	def := 20000.0
	if sandbox {
		def = 0
	}
	l.CallerCostPerSecond = e.nonNegative("CALLER_COST_PER_SECOND", def)
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
