package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// DefaultRealm is the realm of the WWW-Authenticate challenges when Config.Realm is empty.
const DefaultRealm = "tanma-gateway"

// Config chooses how requests are authenticated.
type Config struct {
	APIKeys []APIKey
	JWT     *JWTConfig // nil: JWT off
	Open    bool       // no authentication: every request is the anonymous, unscoped caller (dev/sandbox only; the caller of New decides when that is allowed)
	// OpenPermissions are the permissions of the anonymous caller in Open
	// mode (none by default: it may only read).
	OpenPermissions []string
	Realm           string // for WWW-Authenticate, default "tanma-gateway"
}

// Authenticator checks requests. It is safe for concurrent use.
type Authenticator struct {
	open  bool
	anon  Caller // the caller of every request when open
	realm string
	keys  []keyEntry   // nil: API keys off
	jwt   *jwtVerifier // nil: JWT off
}

// New builds an Authenticator. It fetches nothing synchronously: with JWT on,
// it starts fetching and refreshing the JWKS in the background until ctx ends
// or Close is called. It fails when no mode is configured (no keys, no JWT,
// not Open), when Open is combined with keys or JWT, and on invalid config.
func New(ctx context.Context, cfg Config) (*Authenticator, error) {
	switch {
	case cfg.Open && (len(cfg.APIKeys) > 0 || cfg.JWT != nil):
		return nil, errors.New("auth: open mode cannot be combined with API keys or JWT")
	case !cfg.Open && len(cfg.APIKeys) == 0 && cfg.JWT == nil:
		return nil, errors.New("auth: no authentication configured: set API keys, JWT, or open mode")
	}
	for _, p := range cfg.OpenPermissions {
		if !knownPermission(p) {
			return nil, errors.New("auth: unknown permission " + p)
		}
	}
	a := &Authenticator{open: cfg.Open, anon: Anonymous(cfg.OpenPermissions...), realm: cfg.Realm}
	if a.realm == "" {
		a.realm = DefaultRealm
	}
	var errs []error
	if len(cfg.APIKeys) > 0 {
		keys, err := compileAPIKeys(cfg.APIKeys)
		errs = append(errs, err)
		a.keys = keys
	}
	var jc JWTConfig
	if cfg.JWT != nil {
		var err error
		jc, err = cfg.JWT.withDefaults()
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if cfg.JWT != nil {
		v, err := newJWTVerifier(ctx, jc)
		if err != nil {
			return nil, err
		}
		a.jwt = v
	}
	return a, nil
}

// Close stops the background JWKS refresh and waits for it to end. It is
// safe to call more than once.
func (a *Authenticator) Close() {
	if a.jwt != nil {
		a.jwt.close()
	}
}

// Open reports whether callers go unauthenticated (open mode): then a
// request needs no credential, so whatever can make one speaks for the
// anonymous caller.
func (a *Authenticator) Open() bool { return a.open }

// Authenticate decides who made r, from its headers only; it never reads the
// body. With Open it always returns the anonymous caller. Its errors are
// *Error values whose messages are safe to show to the client.
func (a *Authenticator) Authenticate(r *http.Request) (Caller, error) {
	return a.AuthenticateHeader(r.Context(), r.Header)
}

// AuthenticateHeader is Authenticate for credentials that came as headers
// some other way: a WebSocket's connection_init payload, whose browser
// clients cannot set headers on the upgrade.
func (a *Authenticator) AuthenticateHeader(ctx context.Context, h http.Header) (Caller, error) {
	if a.open {
		return a.anon, nil
	}
	cred, err := credentialFrom(h)
	if errors.Is(err, ErrMissingCredentials) {
		return Caller{}, a.missing()
	}
	if err != nil {
		return Caller{}, err
	}
	switch cred.scheme {
	case schemeAPIKey:
		if a.keys == nil {
			return Caller{}, fail(ErrUnsupportedCredentials, "API keys are not accepted here: send a token in Authorization: Bearer")
		}
		if cred.value == "" {
			return Caller{}, fail(ErrInvalidAPIKey, "API key is empty")
		}
		c, ok := matchAPIKey(a.keys, cred.value)
		if !ok {
			return Caller{}, fail(ErrInvalidAPIKey, "unknown API key")
		}
		return c, nil
	default:
		if a.jwt == nil {
			return Caller{}, fail(ErrUnsupportedCredentials, "bearer tokens are not accepted here: send an API key in X-API-Key")
		}
		if cred.value == "" {
			return Caller{}, invalidToken("bearer token is empty")
		}
		return a.jwt.verify(ctx, cred.value)
	}
}

// missing says which credentials the request lacks.
func (a *Authenticator) missing() *Error {
	var want []string
	if a.keys != nil {
		want = append(want, "an API key in X-API-Key")
	}
	if a.jwt != nil {
		want = append(want, "a token in Authorization: Bearer")
	}
	return fail(ErrMissingCredentials, "missing credentials: send "+strings.Join(want, " or "))
}

// The credential schemes, as named in Authorization and WWW-Authenticate.
const (
	schemeAPIKey = "ApiKey"
	schemeBearer = "Bearer"
)

// credential is the one credential a request carries.
type credential struct {
	scheme string // schemeAPIKey or schemeBearer
	value  string
}

// credentialFrom finds the request's credential: one X-API-Key header, or
// one Authorization header with the Bearer or ApiKey scheme (case-insensitive).
func credentialFrom(h http.Header) (credential, error) {
	keys, authz := h.Values("X-API-Key"), h.Values("Authorization")
	switch n := len(keys) + len(authz); {
	case n == 0:
		return credential{}, fail(ErrMissingCredentials, "missing credentials")
	case n > 1:
		return credential{}, fail(ErrMultipleCredentials, "send one credential: the request carries more than one API key or token")
	case len(keys) == 1:
		return credential{scheme: schemeAPIKey, value: strings.TrimSpace(keys[0])}, nil
	}
	v := strings.TrimSpace(authz[0])
	if v == "" {
		return credential{}, fail(ErrMalformedCredentials, "Authorization header is empty")
	}
	scheme, value, _ := strings.Cut(v, " ")
	value = strings.TrimSpace(value)
	switch {
	case strings.EqualFold(scheme, schemeBearer):
		return credential{scheme: schemeBearer, value: value}, nil
	case strings.EqualFold(scheme, schemeAPIKey):
		return credential{scheme: schemeAPIKey, value: value}, nil
	default:
		return credential{}, fail(ErrUnsupportedCredentials, "unsupported Authorization scheme: use Bearer or ApiKey")
	}
}
