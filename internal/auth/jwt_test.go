package auth

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth/authtest"
)

func TestAuthenticateJWT(t *testing.T) {
	t.Parallel()
	rsaKey, ecKey := authtest.NewRSAKey(t, "rsa-1"), authtest.NewECKey(t, "ec-1")
	impostor := authtest.NewRSAKey(t, "rsa-1") // same kid as rsaKey, different key
	stranger := authtest.NewRSAKey(t, "rsa-unknown")
	srv := authtest.NewJWKS(t, rsaKey, ecKey)
	a := newAuth(t, Config{JWT: jwtConfig(srv)})
	waitLoaded(t, a, 2)

	now := time.Now()
	user := Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"introspect"}, StaffIDs: []string{"dowen"}}
	tests := []struct {
		name    string
		token   string
		want    Caller
		message string // the error, when not empty
	}{
		{name: "valid RS256", token: rsaKey.Sign(t, authtest.Claims(nil)), want: user},
		{name: "valid ES256", token: ecKey.Sign(t, authtest.Claims(nil)), want: user},
		{name: "no kid: every key is tried", token: authtest.SignWith(t, jwt.SigningMethodRS256, "", rsaKey.Private, authtest.Claims(nil)), want: user},
		{name: "audience in an array", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["aud"] = []string{"other", authtest.Audience} })), want: user},
		{name: "expired within leeway accepted", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-10 * time.Second).Unix() })), want: user},
		{name: "not before within leeway accepted", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["nbf"] = now.Add(10 * time.Second).Unix() })), want: user},
		{name: "expired", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-2 * time.Minute).Unix() })), message: "token is expired"},
		{name: "not yet valid", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["nbf"] = now.Add(2 * time.Minute).Unix() })), message: "token is not valid yet"},
		{name: "issued in the future", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["iat"] = now.Add(2 * time.Minute).Unix() })), message: "token is issued in the future"},
		{name: "wrong issuer", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["iss"] = "https://evil.example/" })), message: "token has the wrong issuer"},
		{name: "missing issuer", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { delete(c, "iss") })), message: "token has no issuer"},
		{name: "wrong audience", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["aud"] = "another-api" })), message: "token has the wrong audience"},
		{name: "missing audience", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { delete(c, "aud") })), message: "token has no audience"},
		{name: "missing exp", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { delete(c, "exp") })), message: "token has no expiry (exp)"},
		{name: "exp not a number", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["exp"] = "tomorrow" })), message: "token has an invalid claim"},
		{name: "missing sub", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { delete(c, "sub") })), message: "token has no subject (sub)"},
		{name: "empty sub", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["sub"] = "" })), message: "token has no subject (sub)"},
		{name: "alg none", token: authtest.SignWith(t, jwt.SigningMethodNone, "rsa-1", jwt.UnsafeAllowNoneSignatureType, authtest.Claims(nil)), message: "token signing algorithm is not accepted"},
		{name: "HS256 with the public key as secret", token: authtest.SignWith(t, jwt.SigningMethodHS256, "rsa-1", rsaKey.PublicPEM(t), authtest.Claims(nil)), message: "token signing algorithm is not accepted"},
		{name: "RS384 not in the allowlist", token: authtest.SignWith(t, jwt.SigningMethodRS384, "rsa-1", rsaKey.Private, authtest.Claims(nil)), message: "token signing algorithm is not accepted"},
		{name: "RS256 signed by an unknown key under a known kid", token: impostor.Sign(t, authtest.Claims(nil)), message: "token signature is invalid"},
		{name: "RS256 signed by an unknown key and kid", token: stranger.Sign(t, authtest.Claims(nil)), message: "token is signed by an unknown key"},
		{name: "ES256 under the kid of the RSA key", token: authtest.SignWith(t, jwt.SigningMethodES256, "rsa-1", ecKey.Private, authtest.Claims(nil)), message: "token cannot be verified with the issuer's keys"},
		{name: "malformed", token: "not-a-jwt", message: "token is malformed"},
		{name: "tampered payload", token: tamper(rsaKey.Sign(t, authtest.Claims(nil))), message: "token signature is invalid"},
		{
			name:  "staff claim as array",
			token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["staff"] = []string{"dowen", "alice", "dowen"} })),
			want:  Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"introspect"}, StaffIDs: []string{"alice", "dowen"}},
		},
		{
			name:  "staff claim as string",
			token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["staff"] = "dowen, alice bob" })),
			want:  Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"introspect"}, StaffIDs: []string{"alice", "bob", "dowen"}},
		},
		{
			name:  "missing staff claim scopes to nobody",
			token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { delete(c, "staff") })),
			want:  Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"introspect"}, StaffIDs: []string{}},
		},
		{name: "staff claim of the wrong type", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["staff"] = 42 })), message: "token claim staff must be a string or an array of strings"},
		{name: "staff array with a number", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["staff"] = []any{"dowen", 7} })), message: "token claim staff must be"},
		{
			name:  "permissions from scope string, unknown scopes dropped",
			token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["scope"] = "openid write profile introspect write" })),
			want:  Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"introspect", "write"}, StaffIDs: []string{"dowen"}},
		},
		{
			name:  "permissions from scope array",
			token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["scope"] = []string{"write"} })),
			want:  Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"write"}, StaffIDs: []string{"dowen"}},
		},
		{
			name:  "no scope, no permissions",
			token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { delete(c, "scope") })),
			want:  Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{}, StaffIDs: []string{"dowen"}},
		},
		{name: "scope of the wrong type", token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["scope"] = true })), message: "token claim scope must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := a.Authenticate(request(http.MethodPost, "Authorization", "Bearer "+tt.token))
			if tt.message == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, withoutUntil(t, got))
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidToken)
			assert.Contains(t, err.Error(), tt.message)
			assert.Equal(t, Caller{}, got)
			for _, part := range strings.Split(tt.token, ".") {
				if len(part) > 8 {
					assert.NotContains(t, err.Error(), part, "the error echoes the token")
				}
			}
		})
	}
}

// tamper changes the token's subject without re-signing it.
func tamper(token string) string {
	parts := strings.Split(token, ".")
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"admin"}`))
	return strings.Join(parts, ".")
}

func TestAuthenticateJWTConfigVariants(t *testing.T) {
	t.Parallel()
	rsaKey, ecKey := authtest.NewRSAKey(t, "rsa-1"), authtest.NewECKey(t, "ec-1")
	srv := authtest.NewJWKS(t, rsaKey, ecKey)
	tests := []struct {
		name    string
		edit    func(*JWTConfig)
		token   string
		want    Caller
		message string
	}{
		{
			name:  "no staff claim configured: unscoped",
			edit:  func(c *JWTConfig) { c.StaffClaim = "" },
			token: rsaKey.Sign(t, authtest.Claims(nil)),
			want:  Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"introspect"}},
		},
		{
			name: "custom permissions claim as array",
			edit: func(c *JWTConfig) { c.PermissionsClaim = "permissions" },
			token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) {
				c["permissions"] = []string{"write", "introspect"}
			})),
			want: Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"introspect", "write"}, StaffIDs: []string{"dowen"}},
		},
		{
			name:    "ES256 only: RS256 refused",
			edit:    func(c *JWTConfig) { c.Algorithms = []string{"ES256"} },
			token:   rsaKey.Sign(t, authtest.Claims(nil)),
			message: "token signing algorithm is not accepted (accepted: ES256)",
		},
		{
			name:  "ES256 only: ES256 accepted",
			edit:  func(c *JWTConfig) { c.Algorithms = []string{"ES256"} },
			token: ecKey.Sign(t, authtest.Claims(nil)),
			want:  Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"introspect"}, StaffIDs: []string{"dowen"}},
		},
		{
			name:    "shorter leeway",
			edit:    func(c *JWTConfig) { c.Leeway = time.Second },
			token:   rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-10 * time.Second).Unix() })),
			message: "token is expired",
		},
		{
			name:  "longer leeway",
			edit:  func(c *JWTConfig) { c.Leeway = 5 * time.Minute },
			token: rsaKey.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-4 * time.Minute).Unix() })),
			want:  Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"introspect"}, StaffIDs: []string{"dowen"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := jwtConfig(srv)
			tt.edit(cfg)
			a := newAuth(t, Config{JWT: cfg})
			waitLoaded(t, a, 2)
			got, err := a.Authenticate(request(http.MethodGet, "Authorization", "bearer "+tt.token))
			if tt.message == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, withoutUntil(t, got))
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.message)
		})
	}
}

func TestAuthenticateBearerRequestErrors(t *testing.T) {
	t.Parallel()
	rsaKey := authtest.NewRSAKey(t, "rsa-1")
	srv := authtest.NewJWKS(t, rsaKey)
	a := newAuth(t, Config{JWT: jwtConfig(srv)})
	tests := []struct {
		name    string
		headers []string
		reason  error
		message string
	}{
		{name: "no credentials", reason: ErrMissingCredentials, message: "missing credentials: send a token in Authorization: Bearer"},
		{name: "empty bearer", headers: []string{"Authorization", "Bearer"}, reason: ErrInvalidToken, message: "bearer token is empty"},
		{name: "API key when keys are off", headers: []string{"X-API-Key", "k"}, reason: ErrUnsupportedCredentials, message: "API keys are not accepted"},
		{name: "two bearer headers", headers: []string{"Authorization", "Bearer a", "Authorization", "Bearer b"}, reason: ErrMultipleCredentials, message: "send one credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := a.Authenticate(request(http.MethodPost, tt.headers...))
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.reason)
			assert.Contains(t, err.Error(), tt.message)
		})
	}
}

func TestStringList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   any
		want []string
		ok   bool
	}{
		{name: "nil", in: nil, want: nil, ok: true},
		{name: "space separated", in: "a b  c", want: []string{"a", "b", "c"}, ok: true},
		{name: "comma separated", in: "a,b, c", want: []string{"a", "b", "c"}, ok: true},
		{name: "empty string", in: "", want: []string{}, ok: true},
		{name: "array", in: []any{"a", " b "}, want: []string{"a", "b"}, ok: true},
		{name: "array with a number", in: []any{"a", 1.0}, ok: false},
		{name: "number", in: 1.0, ok: false},
		{name: "object", in: map[string]any{"a": "b"}, ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := stringList(tt.in)
			assert.Equal(t, tt.ok, ok)
			if tt.ok {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}
