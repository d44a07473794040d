package auth

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// jwtVerifier checks bearer tokens against the issuer's JWKS.
type jwtVerifier struct {
	keys             *keySet
	keyfunc          keyfunc.Keyfunc
	parser           *jwt.Parser
	algorithms       []string
	staffClaim       string
	permissionsClaim string
	leeway           time.Duration
	ownClient        bool // the HTTP client was made here and is closed with the verifier
}

// newJWTVerifier builds a verifier from a validated config with defaults and
// starts the background JWKS refresh.
func newJWTVerifier(ctx context.Context, c JWTConfig) (*jwtVerifier, error) {
	v := &jwtVerifier{
		algorithms:       c.Algorithms,
		staffClaim:       c.StaffClaim,
		permissionsClaim: c.PermissionsClaim,
		leeway:           c.Leeway,
	}
	if c.HTTPClient == nil {
		transport := http.DefaultTransport.(*http.Transport).Clone()
		c.HTTPClient = &http.Client{Timeout: DefaultJWKSTimeout, Transport: transport}
		v.ownClient = true
	}
	v.keys = newKeySet(ctx, c)
	kf, err := keyfunc.New(keyfunc.Options{Ctx: ctx, Storage: v.keys})
	if err != nil {
		return nil, err
	}
	v.keyfunc = kf
	v.parser = jwt.NewParser(
		jwt.WithValidMethods(c.Algorithms),
		jwt.WithIssuer(c.Issuer),
		jwt.WithAudience(c.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(c.Leeway),
	)
	v.keys.start()
	return v, nil
}

// close stops the JWKS refresh and waits for it.
func (v *jwtVerifier) close() {
	v.keys.close()
	if v.ownClient {
		v.keys.client.CloseIdleConnections()
	}
}

// verify checks a token and returns its caller.
func (v *jwtVerifier) verify(ctx context.Context, raw string) (Caller, error) {
	claims := jwt.MapClaims{}
	token, err := v.parser.ParseWithClaims(raw, claims, v.keyfunc.KeyfuncCtx(ctx))
	if err != nil {
		return Caller{}, v.tokenError(err, token, claims)
	}
	if !token.Valid {
		return Caller{}, invalidToken("token is invalid")
	}
	sub, err := claims.GetSubject()
	if err != nil || strings.TrimSpace(sub) == "" {
		return Caller{}, invalidToken("token has no subject (sub)")
	}
	c := Caller{ID: sub, Kind: KindJWT, Permissions: []string{}}
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
		c.Until = exp.Add(v.leeway) // as the parser judged it: with the leeway
	}
	perms, ok := stringList(claims[v.permissionsClaim])
	if !ok {
		return Caller{}, invalidToken("token claim " + v.permissionsClaim + " must be a string or an array of strings")
	}
	for _, p := range perms {
		if knownPermission(p) {
			c.Permissions = append(c.Permissions, p)
		}
	}
	c.Permissions = normalize(c.Permissions)
	if v.staffClaim != "" {
		staff, ok := stringList(claims[v.staffClaim])
		if !ok {
			return Caller{}, invalidToken("token claim " + v.staffClaim + " must be a string or an array of strings")
		}
		// A missing staff claim scopes the caller to no staff member: failing closed.
		c.StaffIDs = normalize(append([]string{}, staff...))
	}
	return c, nil
}

// stringList reads a claim that is an array of strings or a string of
// space- or comma-separated values. A missing or null claim is an empty list.
func stringList(v any) ([]string, bool) {
	switch v := v.(type) {
	case nil:
		return nil, true
	case string:
		return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }), true
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, strings.TrimSpace(s))
		}
		return out, true
	default:
		return nil, false
	}
}

func invalidToken(message string) *Error { return fail(ErrInvalidToken, message) }

// tokenError turns a jwt parse error into a message that says what is wrong
// without quoting the token, its header or its claims.
func (v *jwtVerifier) tokenError(err error, token *jwt.Token, claims jwt.MapClaims) *Error {
	badAlg := token != nil && (token.Method == nil || !slices.Contains(v.algorithms, token.Method.Alg()))
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return invalidToken("token is malformed")
	case badAlg && (errors.Is(err, jwt.ErrTokenSignatureInvalid) || errors.Is(err, jwt.ErrTokenUnverifiable)):
		return invalidToken("token signing algorithm is not accepted (accepted: " + strings.Join(v.algorithms, ", ") + ")")
	case errors.Is(err, jwkset.ErrKeyNotFound):
		return invalidToken("token is signed by an unknown key")
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return invalidToken("token cannot be verified with the issuer's keys")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return invalidToken("token signature is invalid")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		for _, c := range []struct{ claim, message string }{
			{"exp", "token has no expiry (exp)"},
			{"iss", "token has no issuer (iss)"},
			{"aud", "token has no audience (aud)"},
		} {
			if claims[c.claim] == nil {
				return invalidToken(c.message)
			}
		}
		return invalidToken("token is missing a required claim")
	case errors.Is(err, jwt.ErrTokenExpired):
		return invalidToken("token is expired")
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return invalidToken("token is not valid yet (nbf)")
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return invalidToken("token is issued in the future (iat)")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return invalidToken("token has the wrong issuer")
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return invalidToken("token has the wrong audience")
	case errors.Is(err, jwt.ErrTokenInvalidClaims):
		return invalidToken("token has an invalid claim")
	default:
		return invalidToken("token is invalid")
	}
}
