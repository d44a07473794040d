package app

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/config"
	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestRedisDownIsNotReadyOnlyWhenRequired: with Redis down every query is
// still served; /readyz fails only with REDIS_REQUIRED=true, and passes
// again once Redis answers.
func TestRedisDownIsNotReadyOnlyWhenRequired(t *testing.T) {
	t.Parallel()
	m := miniredis.RunT(t)
	url := "redis://" + m.Addr() + "/0"
	m.Close()
	for _, required := range []string{"true", "false"} {
		g := startGateway(t, &sandbox.Server{}, nil, map[string]string{"REDIS_URL": url, "REDIS_REQUIRED": required, "TANMA_QPS": "100"})
		r := g.query(t, `{ staffMember(qwUserId: "dowen") { name } }`, nil)
		assert.Empty(t, r.Errors, "Redis down fails no query: %s", r.Raw)
		g.waitAnswered(t)
		resp, err := http.Get(g.url + "/readyz")
		require.NoError(t, err)
		resp.Body.Close()
		want := map[string]int{"true": http.StatusServiceUnavailable, "false": http.StatusOK}[required]
		assert.Equal(t, want, resp.StatusCode, "REDIS_REQUIRED=%s", required)
		require.NoError(t, g.stop())
	}

	up := httptest.NewServer(&sandbox.Server{})
	t.Cleanup(up.Close)
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"TANMA_APP_ID": sandbox.DefaultAppID, "TANMA_APP_KEY": string(sandbox.DefaultAppKey),
			"TANMA_BASE_URL": up.URL, "REDIS_URL": url, "REDIS_REQUIRED": "true",
			"INSECURE_ALLOW_UNAUTHENTICATED": config.OpenOverride}[k]
	})
	require.NoError(t, err)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	rep, err := newReplica(t.Context(), cfg, log)
	require.NoError(t, err)
	t.Cleanup(rep.close)
	rep.answered.Store(true) // as the start check does once Tanma answers
	ready := rep.ready(cfg, log, 0)
	require.Error(t, ready(t.Context()), "Redis down")
	require.NoError(t, m.Restart())
	assert.NoError(t, ready(t.Context()), "ready again once Redis answers")
}
