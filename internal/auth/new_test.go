package auth

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth/authtest"
)

func TestNew(t *testing.T) {
	t.Parallel()
	valid := func(edit func(*JWTConfig)) *JWTConfig {
		c := &JWTConfig{JWKSURL: "https://id.example.test/.well-known/jwks.json", Issuer: authtest.Issuer, Audience: authtest.Audience}
		if edit != nil {
			edit(c)
		}
		return c
	}
	key := APIKey{ID: "k", SHA256: HashAPIKey(key1)}
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{name: "API keys", cfg: Config{APIKeys: []APIKey{key}}},
		{name: "open", cfg: Config{Open: true}},
		{name: "JWT", cfg: Config{JWT: valid(nil)}},
		{name: "JWT on localhost over http", cfg: Config{JWT: valid(func(c *JWTConfig) { c.JWKSURL = "http://127.0.0.1:9/jwks" })}},
		{name: "JWT with every option", cfg: Config{JWT: valid(func(c *JWTConfig) {
			c.Algorithms = []string{"PS256", "EdDSA", "ES384"}
			c.Leeway = 5 * time.Minute
			c.RefreshInterval = time.Hour
		})}},
		{name: "no mode", cfg: Config{}, wantErr: "no authentication configured"},
		{name: "empty key list", cfg: Config{APIKeys: []APIKey{}}, wantErr: "no authentication configured"},
		{name: "open with keys", cfg: Config{Open: true, APIKeys: []APIKey{key}}, wantErr: "open mode cannot be combined"},
		{name: "open with JWT", cfg: Config{Open: true, JWT: valid(nil)}, wantErr: "open mode cannot be combined"},
		{name: "bad API key", cfg: Config{APIKeys: []APIKey{{ID: "k", SHA256: "abc"}}}, wantErr: "sha256 must be 64 hex characters"},
		{name: "missing JWKS URL", cfg: Config{JWT: valid(func(c *JWTConfig) { c.JWKSURL = "" })}, wantErr: "JWKS URL is required"},
		{name: "relative JWKS URL", cfg: Config{JWT: valid(func(c *JWTConfig) { c.JWKSURL = "/jwks.json" })}, wantErr: "JWKS URL must be an absolute https URL"},
		{name: "plain http JWKS URL", cfg: Config{JWT: valid(func(c *JWTConfig) { c.JWKSURL = "http://id.example.test/jwks" })}, wantErr: "must use https"},
		{name: "JWKS URL credentials not echoed", cfg: Config{JWT: valid(func(c *JWTConfig) { c.JWKSURL = "ftp://user:hunter2@id.example.test/" })}, wantErr: "user:xxxxx@"},
		{name: "missing issuer", cfg: Config{JWT: valid(func(c *JWTConfig) { c.Issuer = "" })}, wantErr: "jwt: issuer is required"},
		{name: "missing audience", cfg: Config{JWT: valid(func(c *JWTConfig) { c.Audience = " " })}, wantErr: "jwt: audience is required"},
		{name: "alg none", cfg: Config{JWT: valid(func(c *JWTConfig) { c.Algorithms = []string{"RS256", "none"} })}, wantErr: `algorithm "none" is refused`},
		{name: "HS256", cfg: Config{JWT: valid(func(c *JWTConfig) { c.Algorithms = []string{"HS256"} })}, wantErr: `algorithm "HS256" is refused`},
		{name: "unknown algorithm", cfg: Config{JWT: valid(func(c *JWTConfig) { c.Algorithms = []string{"rs256"} })}, wantErr: `unknown algorithm "rs256"`},
		{name: "leeway over 5m", cfg: Config{JWT: valid(func(c *JWTConfig) { c.Leeway = 6 * time.Minute })}, wantErr: "leeway must be at most 5m0s"},
		{name: "negative leeway", cfg: Config{JWT: valid(func(c *JWTConfig) { c.Leeway = -time.Second })}, wantErr: "leeway must not be negative"},
		{name: "refresh interval too short", cfg: Config{JWT: valid(func(c *JWTConfig) { c.RefreshInterval = time.Millisecond })}, wantErr: "refresh interval must be at least 1s"},
		{name: "every error at once", cfg: Config{APIKeys: []APIKey{{SHA256: "x"}}, JWT: &JWTConfig{}}, wantErr: "api key #1: id is required\napi key #1: sha256 must be 64 hex characters (the SHA-256 of the key, not the key)\njwt: JWKS URL is required\njwt: issuer is required\njwt: audience is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := New(context.Background(), tt.cfg)
			if tt.wantErr == "" {
				require.NoError(t, err)
				a.Close()
				return
			}
			require.Error(t, err)
			assert.Nil(t, a)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotContains(t, err.Error(), "hunter2")
		})
	}
}

func TestJWTConfigDefaults(t *testing.T) {
	t.Parallel()
	c, err := JWTConfig{JWKSURL: "https://id.example.test/jwks", Issuer: authtest.Issuer, Audience: authtest.Audience}.withDefaults()
	require.NoError(t, err)
	assert.Equal(t, []string{"RS256", "ES256"}, c.Algorithms)
	assert.Equal(t, 30*time.Second, c.Leeway)
	assert.Equal(t, 5*time.Minute, c.RefreshInterval)
	assert.Equal(t, "scope", c.PermissionsClaim)
	assert.Empty(t, c.StaffClaim)
}
