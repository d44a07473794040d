package config_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/config"
	"github.com/tanma-gql/gateway/internal/tanma"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestNoConfigurationMeansSandbox(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	require.NoError(t, err)
	assert.True(t, c.Sandbox)
	assert.Equal(t, ":8080", c.Addr)
	assert.Equal(t, tanma.DefaultBaseURL, c.BaseURL)
	assert.Equal(t, float64(tanma.DefaultQPS), c.QPS)
	assert.Equal(t, tanma.DefaultTimeout, c.Timeout)
	assert.Equal(t, slog.LevelInfo, c.LogLevel)
}

func TestRealUpstream(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{
		"TANMA_APP_ID": "ww123", "TANMA_APP_KEY": "k3y", "TANMA_BASE_URL": "https://api.tanmarket.cn:20066/api/",
		"PORT": "9000", "TANMA_QPS": "2.5", "TANMA_TIMEOUT": "3s", "REQUEST_TIMEOUT": "1m", "LOG_LEVEL": "debug",
		"API_KEYS": `[{"id":"dash","sha256":"` + strings.Repeat("ab", 32) + `","permissions":["introspect"],"staff":["dowen"]}]`,
	}))
	require.NoError(t, err)
	assert.False(t, c.Sandbox)
	assert.Equal(t, "ww123", c.AppID)
	assert.Equal(t, "k3y", c.AppKey.Reveal())
	assert.Equal(t, "https://api.tanmarket.cn:20066/api", c.BaseURL)
	assert.Equal(t, ":9000", c.Addr)
	assert.Equal(t, 2.5, c.QPS)
	assert.Equal(t, 3*time.Second, c.Timeout)
	assert.Equal(t, time.Minute, c.RequestTimeout)
	assert.Equal(t, slog.LevelDebug, c.LogLevel)
	require.Len(t, c.Security.APIKeys, 1)
	assert.Equal(t, []string{"dowen"}, c.Security.APIKeys[0].StaffIDs)
	assert.False(t, c.Security.Open)
	assert.Equal(t, auth.IntrospectionPermission, c.Security.Introspection, "production default")
	assert.False(t, c.Security.Playground, "no playground in production unless asked for")
	assert.Empty(t, c.Security.CORSOrigins, "no browser origin unless configured")
	assert.Equal(t, 20000.0, c.Limits.CallerCostPerSecond)
}

func TestSandboxDefaultsAreOpenAndDeveloperFriendly(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	require.NoError(t, err)
	assert.True(t, c.Security.Open)
	assert.Equal(t, auth.IntrospectionOn, c.Security.Introspection)
	assert.True(t, c.Security.Playground)
	assert.Contains(t, c.Security.CORSOrigins, "http://localhost:5173", "the example dashboard's dev server")
	assert.Zero(t, c.Limits.CallerCostPerSecond)
}

// TestRealUpstreamFailsClosed: against the real upstream the gateway
// refuses to start without caller authentication, unless the loud override
// is given exactly.
func TestRealUpstreamFailsClosed(t *testing.T) {
	t.Parallel()
	creds := map[string]string{"TANMA_APP_ID": "ww1", "TANMA_APP_KEY": "k"}
	_, err := config.Load(env(creds))
	require.ErrorContains(t, err, "no caller authentication")

	creds["INSECURE_ALLOW_UNAUTHENTICATED"] = "true"
	_, err = config.Load(env(creds))
	require.ErrorContains(t, err, config.OpenOverride)

	creds["INSECURE_ALLOW_UNAUTHENTICATED"] = config.OpenOverride
	c, err := config.Load(env(creds))
	require.NoError(t, err)
	assert.True(t, c.Security.Open)
	assert.Equal(t, []string{"introspect"}, c.Security.OpenPermissions, "reading is not writing")

	creds["INSECURE_ALLOW_ANONYMOUS_WRITES"] = "true"
	_, err = config.Load(env(creds))
	require.ErrorContains(t, err, config.AnonymousWritesOverride)

	creds["INSECURE_ALLOW_ANONYMOUS_WRITES"] = config.AnonymousWritesOverride
	c, err = config.Load(env(creds))
	require.NoError(t, err)
	assert.Equal(t, []string{"introspect", "write"}, c.Security.OpenPermissions, "writes said separately and loudly; personal data never whole")

	_, err = config.Load(env(map[string]string{"TANMA_APP_ID": "ww1", "TANMA_APP_KEY": "k", "API_KEYS": `[]`,
		"INSECURE_ALLOW_ANONYMOUS_WRITES": config.AnonymousWritesOverride}))
	require.ErrorContains(t, err, "INSECURE_ALLOW_ANONYMOUS_WRITES applies only with INSECURE_ALLOW_UNAUTHENTICATED")

	sb, err := config.Load(env(nil))
	require.NoError(t, err)
	assert.Equal(t, []string{"introspect", "personal-data", "write"}, sb.Security.OpenPermissions,
		"the sandbox stays writable for the playground, its made-up personal data whole")

	jwt := map[string]string{"TANMA_APP_ID": "ww1", "TANMA_APP_KEY": "k", "JWT_JWKS_URL": "https://idp.example/jwks",
		"JWT_ISSUER": "https://idp.example/", "JWT_AUDIENCE": "gateway"}
	_, err = config.Load(env(jwt))
	require.ErrorContains(t, err, "JWT_STAFF_CLAIM is missing", "tokens without a staff scope are a choice, not a default")
	jwt["JWT_STAFF_CLAIM"] = "staff"
	c, err = config.Load(env(jwt))
	require.NoError(t, err, "JWT is an auth mode")
	assert.Equal(t, "staff", c.Security.JWT.StaffClaim)
	jwt["JWT_UNSCOPED"] = "true"
	_, err = config.Load(env(jwt))
	require.ErrorContains(t, err, "contradict")
	delete(jwt, "JWT_STAFF_CLAIM")
	c, err = config.Load(env(jwt))
	require.NoError(t, err, "unscoped tokens, chosen explicitly")
	assert.Empty(t, c.Security.JWT.StaffClaim)
}

// TestBadConfigurationNamesTheProblem: every mistake is reported by the
// variable's name, and the app key never appears in the message.
func TestBadConfigurationNamesTheProblem(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"key without id", map[string]string{"TANMA_APP_KEY": "s3cr3t-key"}, []string{"TANMA_APP_ID is missing"}},
		{"id without key", map[string]string{"TANMA_APP_ID": "ww1"}, []string{"TANMA_APP_KEY is missing"}},
		{"base URL alone", map[string]string{"TANMA_BASE_URL": "https://x.example"}, []string{"TANMA_APP_ID and TANMA_APP_KEY are missing"}},
		{"relative base URL", map[string]string{"TANMA_APP_ID": "ww1", "TANMA_APP_KEY": "s3cr3t-key", "TANMA_BASE_URL": "/api"}, []string{"TANMA_BASE_URL"}},
		{"bad port", map[string]string{"PORT": "http"}, []string{"PORT"}},
		{"port out of range", map[string]string{"PORT": "70000"}, []string{"PORT"}},
		{"negative qps", map[string]string{"TANMA_QPS": "-1"}, []string{"TANMA_QPS"}},
		{"bad timeout", map[string]string{"TANMA_TIMEOUT": "10"}, []string{"TANMA_TIMEOUT"}},
		{"bad request timeout", map[string]string{"REQUEST_TIMEOUT": "-1s"}, []string{"REQUEST_TIMEOUT"}},
		{"bad max in flight", map[string]string{"MAX_IN_FLIGHT": "0"}, []string{"MAX_IN_FLIGHT"}},
		{"bad log level", map[string]string{"LOG_LEVEL": "loud"}, []string{"LOG_LEVEL"}},
		{"several at once", map[string]string{"PORT": "x", "LOG_LEVEL": "loud"}, []string{"PORT", "LOG_LEVEL"}},
		{"bad API keys", map[string]string{"API_KEYS": `[{"id":"x","sha256":"s3cr3t-key"}]`}, []string{"API_KEYS"}},
		{"JWT without JWKS", map[string]string{"JWT_ISSUER": "https://idp"}, []string{"JWT_JWKS_URL"}},
		{"wildcard CORS with credentials", map[string]string{"CORS_ALLOWED_ORIGINS": "*", "CORS_ALLOW_CREDENTIALS": "true"}, []string{"CORS_ALLOWED_ORIGINS"}},
		{"bad introspection policy", map[string]string{"INTROSPECTION": "maybe"}, []string{"INTROSPECTION"}},
		{"bad boolean", map[string]string{"PLAYGROUND": "sometimes"}, []string{"PLAYGROUND"}},
		{"bad limit", map[string]string{"MAX_DEPTH": "0"}, []string{"MAX_DEPTH"}},
		{"bad Redis URL", map[string]string{"REDIS_URL": "http://:s3cr3t-key@redis:6379"}, []string{"REDIS_URL"}},
		{"Redis required but unset", map[string]string{"REDIS_REQUIRED": "true"}, []string{"REDIS_URL"}},
		{"zero replicas", map[string]string{"TANMA_QPS_REPLICAS": "0"}, []string{"TANMA_QPS_REPLICAS"}},
		{"missing trusted documents", map[string]string{"TRUSTED_DOCUMENTS": "/nonexistent/documents.json"}, []string{"TRUSTED_DOCUMENTS"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Load(env(tc.env))
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "s3cr3t-key")
		})
	}
}

func TestScaling(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	require.NoError(t, err)
	assert.Equal(t, config.Scaling{QPSReplicas: 1}, c.Scaling, "memory only by default")

	c, err = config.Load(env(map[string]string{
		"REDIS_URL": "redis://:pw@redis:6379/0", "REDIS_REQUIRED": "true", "TANMA_QPS_REPLICAS": "6",
	}))
	require.NoError(t, err)
	assert.Equal(t, config.Scaling{RedisURL: "redis://:pw@redis:6379/0", RedisRequired: true, QPSReplicas: 6}, c.Scaling)
}
