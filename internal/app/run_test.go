package app

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/porttest"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestNoConfigServesSandboxData is the quick start: no configuration, the
// gateway serves sandbox data, and says so.
func TestNoConfigServesSandboxData(t *testing.T) {
	t.Parallel()
	port := porttest.Free(t)
	out, stop := start(t, nil, map[string]string{"PORT": strconv.Itoa(port)})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitFor(t, base+"/healthz")
	resp, err := http.Post(base+"/query", "application/json",
		strings.NewReader(`{"query":"{ customers(ownerId: \"dowen\", first: 1) { edges { node { customerId name } } } }"}`))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.JSONEq(t, `{"data":{"customers":{"edges":[{"node":{"customerId":"398604120668224","name":"14635"}}]}}}`, string(body))
	require.NoError(t, stop(), "graceful shutdown returns no error")
	assert.Contains(t, out.String(), "SANDBOX")
	assert.NotContains(t, out.String(), string(sandbox.DefaultAppKey))
}

func TestBadStartsExplainThemselves(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"half a configuration", nil, map[string]string{"TANMA_APP_ID": "ww1"}, "TANMA_APP_KEY is missing"},
		{"unknown command", []string{"serve"}, nil, `unknown command "serve"`},
		{"bad sandbox flag", []string{"sandbox", "-latency", "soon"}, nil, "invalid value"},
		{"sandbox error rate over 1", []string{"sandbox", "-error-rate", "30"}, nil, "-error-rate 30 is not a fraction"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := Run(context.Background(), tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestSandboxCommandServesAFakeTanma: `gateway sandbox` answers signed calls.
func TestSandboxCommandServesAFakeTanma(t *testing.T) {
	t.Parallel()
	addr := fmt.Sprintf("127.0.0.1:%d", porttest.Free(t))
	_, stop := start(t, []string{"sandbox", "-addr", addr}, nil)
	waitFor(t, "http://"+addr+"/")
	c, err := tanma.NewClient(tanma.WithBaseURL("http://"+addr), tanma.WithCredentials(sandbox.DefaultAppID, sandbox.DefaultAppKey))
	require.NoError(t, err)
	page, err := c.ListCustomersByQwUserID(context.Background(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 2})
	require.NoError(t, err)
	require.Len(t, page.List, 2)
	assert.Equal(t, tanma.ID(398604120668224), page.List[0].CustomerID)
	require.NoError(t, stop())
}

// TestOperationNameFromTheDocument: a named query sent without the
// operationName parameter (what most clients do) is still named in the
// request log and the metrics.
func TestOperationNameFromTheDocument(t *testing.T) {
	t.Parallel()
	g := startGateway(t, &sandbox.Server{}, nil, nil)
	r := g.query(t, `query OwnerPage { customers(ownerId: "lina", first: 1) { edges { cursor } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	assert.Positive(t, metric(t, g.metrics(t), "gateway_graphql_request_duration_seconds_count", `operation="OwnerPage"`))
	require.NoError(t, g.stop())
	assert.Contains(t, g.out.String(), `"operation":"OwnerPage"`)
}

// TestJWKSFailureIsLogged: when the identity provider's key set cannot be
// fetched, the gateway still starts and the log says so (JWT callers are
// refused meanwhile, so on-call needs to see why).
//
// The key set is fetched in the background, so the test waits for the log
// line rather than stopping the gateway once it answers: a stop before the
// first fetch has failed logs nothing (a fetch cut short by the shutdown is
// not a failure). The identity provider is a live server answering 503,
// not a closed one, whose port another socket could take meanwhile.
func TestJWKSFailureIsLogged(t *testing.T) {
	t.Parallel()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "identity provider down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(down.Close)
	port := porttest.Free(t)
	out, stop := start(t, nil, map[string]string{
		"PORT": strconv.Itoa(port), "JWT_JWKS_URL": down.URL + "/jwks",
		"JWT_ISSUER": "https://issuer.example", "JWT_AUDIENCE": "gateway", "JWT_UNSCOPED": "true",
	})
	waitFor(t, fmt.Sprintf("http://127.0.0.1:%d/healthz", port))
	require.Eventually(t, func() bool { return len(logLines(t, out.String(), msgJWKSFailed)) > 0 },
		30*time.Second, 10*time.Millisecond, "the first fetch fails and is logged")
	require.NoError(t, stop())
	line := logLines(t, out.String(), msgJWKSFailed)[0]
	assert.Equal(t, "WARN", line["level"])
	assert.Contains(t, line["err"], "HTTP 503", "the log says why")
}

// TestNewcomerStarts: --help prints the commands and main settings and
// exits 0 (so does `sandbox --help`); a busy port stops the start with an
// error naming PORT, and "gateway listening" is never logged for a port
// that was not bound.
func TestNewcomerStarts(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"sandbox", "--help"}} {
		var out strings.Builder
		require.NoError(t, Run(context.Background(), args, func(string) string { return "" }, &out), args)
		assert.Contains(t, out.String(), "sandbox", args)
		if args[0] != "sandbox" {
			assert.Contains(t, out.String(), "TANMA_APP_ID", "the main settings")
			assert.Contains(t, out.String(), "PORT")
		}
	}

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = busy.Close() })
	_, port, _ := net.SplitHostPort(busy.Addr().String())
	var logs strings.Builder
	err = Run(context.Background(), nil, func(k string) string {
		if k == "PORT" {
			return port
		}
		return ""
	}, &logs)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "PORT")
	assert.NotContains(t, logs.String(), "gateway listening")
}
