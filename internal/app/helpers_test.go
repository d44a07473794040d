package app

// The end-to-end tests of this package run the gateway as the binary does
// (Run, or a replica built as Run builds it) against a sandbox reached over
// signed HTTP. Their shared helpers are all in this file.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/logtest"
	"github.com/tanma-gql/gateway/internal/porttest"
	"github.com/tanma-gql/gateway/internal/sandbox"
)

// testAPIKey is the key the end-to-end gateways accept.
const testAPIKey = "e2e-test-key-Zq8s0"

// gateway is Run serving a real upstream: a sandbox
// on its own port, reached over signed HTTP.
type gateway struct {
	url   string
	ops   string // where /metrics and /upstream-status are (METRICS_ADDR), "" when not served apart
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
// with an API key and extra settings. Its metrics are on a METRICS_ADDR of
// their own (callers authenticate: they are not on the public port) unless
// extra sets METRICS_ADDR, "" included.
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
	port := porttest.Free(t)
	env := map[string]string{
		"PORT":           strconv.Itoa(port),
		"TANMA_APP_ID":   sandbox.DefaultAppID,
		"TANMA_APP_KEY":  string(sandbox.DefaultAppKey),
		"TANMA_BASE_URL": up.URL,
		"TANMA_QPS":      "0",
		"API_KEYS":       fmt.Sprintf(`[{"id":"e2e","sha256":%q,"permissions":["introspect"]}]`, auth.HashAPIKey(testAPIKey)),
	}
	if _, ok := extra["METRICS_ADDR"]; !ok {
		env["METRICS_ADDR"] = fmt.Sprintf("127.0.0.1:%d", porttest.Free(t))
	}
	for k, v := range extra {
		env[k] = v
	}
	out, stop := start(t, nil, env)
	g := &gateway{url: fmt.Sprintf("http://127.0.0.1:%d", port), sb: sb, out: out, stop: stop, signs: signs}
	waitFor(t, g.url+"/healthz")
	if env["METRICS_ADDR"] != "" {
		g.ops = "http://" + env["METRICS_ADDR"]
		waitFor(t, g.ops+"/metrics")
	}
	return g
}

// opsURL is where the gateway serves /metrics and /upstream-status: its
// METRICS_ADDR, or else the public port.
func (g *gateway) opsURL() string {
	if g.ops != "" {
		return g.ops
	}
	return g.url
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

// metrics scrapes /metrics (on METRICS_ADDR when set).
func (g *gateway) metrics(t *testing.T) string {
	t.Helper()
	resp, err := http.Get(g.opsURL() + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// start runs the command in the background; stop cancels it (as SIGTERM
// does) and returns what run returned.
func start(t *testing.T, args []string, env map[string]string) (out *logtest.Buffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &logtest.Buffer{}
	done := make(chan error, 1)
	getenv := func(k string) string {
		if v, ok := env[k]; ok || k != "DRAIN_DELAY" {
			return v
		}
		return "0" // tests stop gateways at once unless they test the delay
	}
	go func() { done <- Run(ctx, args, getenv, out) }()
	return out, func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("run did not return after cancellation")
			return nil
		}
	}
}

func waitFor(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}

// metric returns the value of the first sample of the Prometheus text
// matching name and every label given.
func metric(t *testing.T, text, name string, labels ...string) float64 {
	t.Helper()
	pattern := `(?m)^` + regexp.QuoteMeta(name) + `\{[^}]*`
	for _, l := range labels {
		pattern += regexp.QuoteMeta(l) + `[^}]*`
	}
	m := regexp.MustCompile(pattern + `\} ([0-9.e+]+)$`).FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	return v
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// logLines decodes the gateway's JSON log lines with the given message.
func logLines(t *testing.T, out, msg string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == msg {
			lines = append(lines, m)
		}
	}
	return lines
}
