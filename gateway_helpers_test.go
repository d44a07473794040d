package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/logtest"
	"github.com/tanma-gql/gateway/internal/sandbox"
)

// testAPIKey is the key the end-to-end gateways accept.
const testAPIKey = "e2e-test-key-Zq8s0"

// gateway is the real binary's run() serving a real upstream: a sandbox
// on its own port, reached over signed HTTP.
type gateway struct {
	url   string
	sb    *sandbox.Server
	out   *logtest.Buffer
	stop  func() error
	signs *signLog
}

// signLog records every sign header the upstream received.
type signLog struct {
	mu    sync.Mutex
	signs []string
}

func (s *signLog) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.signs...)
}

// startGateway runs the gateway against sb (wrapped by wrap when not nil)
// with an API key and extra settings.
func startGateway(t *testing.T, sb *sandbox.Server, wrap func(http.Handler) http.Handler, extra map[string]string) *gateway {
	t.Helper()
	signs := &signLog{}
	var upstream http.Handler = sb
	if wrap != nil {
		upstream = wrap(sb)
	}
	recorded := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		signs.mu.Lock()
		signs.signs = append(signs.signs, r.Header.Get("sign"))
		signs.mu.Unlock()
		upstream.ServeHTTP(w, r)
	})
	up := httptest.NewServer(recorded)
	t.Cleanup(up.Close)
	port := freePort(t)
	env := map[string]string{
		"PORT":           strconv.Itoa(port),
		"TANMA_APP_ID":   sandbox.DefaultAppID,
		"TANMA_APP_KEY":  string(sandbox.DefaultAppKey),
		"TANMA_BASE_URL": up.URL,
		"TANMA_QPS":      "0",
		"API_KEYS":       fmt.Sprintf(`[{"id":"e2e","sha256":%q,"permissions":["introspect"]}]`, auth.HashAPIKey(testAPIKey)),
	}
	for k, v := range extra {
		env[k] = v
	}
	out, stop := start(t, nil, env)
	g := &gateway{url: fmt.Sprintf("http://127.0.0.1:%d", port), sb: sb, out: out, stop: stop, signs: signs}
	waitFor(t, g.url+"/healthz")
	return g
}

// waitAnswered waits until Tanma has answered the gateway's start check
// (readiness depends on it).
func (g *gateway) waitAnswered(t *testing.T) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(g.out.String(), "Tanma answered the start check") },
		10*time.Second, 10*time.Millisecond, "the start check")
}

// gqlResponse is a GraphQL answer.
type gqlResponse struct {
	Status int
	Raw    string
	Data   map[string]any
	Errors []struct {
		Message    string
		Path       []any
		Extensions map[string]any
	}
}

// codes lists the error codes of a response.
func (r gqlResponse) codes() []string {
	var out []string
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		out = append(out, c)
	}
	return out
}

// query posts a query with the test API key.
func (g *gateway) query(t *testing.T, q string, vars map[string]any) gqlResponse {
	t.Helper()
	return g.queryAs(t, testAPIKey, q, vars)
}

// queryAs posts a query with an API key.
func (g *gateway) queryAs(t *testing.T, key, q string, vars map[string]any) gqlResponse {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, g.url+"/query", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", key)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	r := gqlResponse{Status: resp.StatusCode, Raw: string(raw)}
	require.NoError(t, json.Unmarshal(raw, &r), string(raw))
	return r
}

// metrics scrapes /metrics.
func (g *gateway) metrics(t *testing.T) string {
	t.Helper()
	resp, err := http.Get(g.url + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}
