package config_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
		{"bad log level", map[string]string{"LOG_LEVEL": "loud"}, []string{"LOG_LEVEL"}},
		{"several at once", map[string]string{"PORT": "x", "LOG_LEVEL": "loud"}, []string{"PORT", "LOG_LEVEL"}},
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
