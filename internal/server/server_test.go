package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/graph"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/server"
)

// newServer serves the gateway over a sandbox. It returns the URL and a
// function that stops the server (waiting for in-flight requests) and
// returns everything logged.
func newServer(t *testing.T) (string, func() string) {
	t.Helper()
	_, tc := sandboxtest.Start(t, nil)
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	authn, err := auth.New(context.Background(), auth.Config{Open: true})
	require.NoError(t, err)
	t.Cleanup(authn.Close)
	srv, err := server.New(server.Options{Resolver: server.NewResolver(tc, log, refdata.DefaultPolicy, nil), Auth: authn,
		Playground: true, SimpleGET: true, GraphQL: executor.Options{Limits: limits.Limits{MaxBodyBytes: 4096}, Introspection: auth.IntrospectionOn}})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL, func() string {
		ts.Close()
		return buf.String()
	}
}

func do(t *testing.T, method, url, contentType, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	url, _ := newServer(t)
	cases := []struct {
		name, method, path string
		status             int
		contentType        string
		contains           string
	}{
		{"liveness", "GET", "/healthz", 200, "text/plain", "ok"},
		{"readiness", "GET", "/readyz", 200, "text/plain", "ready"},
		{"playground", "GET", "/", 200, "text/html", `id="graphiql"`},
		{"sdl", "GET", "/schema.graphql", 200, "text/plain", "type Customer implements Node"},
		{"get query", "GET", "/query?query=%7B__typename%7D", 200, "application/json", `{"data":{"__typename":"Query"}}`},
		{"unknown path", "GET", "/nope", 404, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, body := do(t, tc.method, url+tc.path, "", "")
			assert.Equal(t, tc.status, resp.StatusCode, body)
			assert.Contains(t, resp.Header.Get("Content-Type"), tc.contentType)
			assert.Contains(t, body, tc.contains)
			assert.NotEmpty(t, resp.Header.Get("X-Request-Id"))
		})
	}
}

func TestSDLIsTheExecutableSchema(t *testing.T) {
	t.Parallel()
	url, _ := newServer(t)
	_, body := do(t, "GET", url+"/schema.graphql", "", "")
	assert.Equal(t, string(graph.SDL()), body)
}

// TestBadBodiesAreRejectedWithoutEcho: a body that is not GraphQL JSON gets
// a 400 that neither echoes it nor logs it (it may hold personal data).
func TestBadBodiesAreRejectedWithoutEcho(t *testing.T) {
	t.Parallel()
	const secret = "13812345678"
	cases := []struct {
		name, body string
		status     int
	}{
		{"truncated JSON", `{"query":"{ customers(ownerId: \"` + secret, 400},
		{"query of the wrong type", `{"query":` + secret + `}`, 400},
		{"variables of the wrong type", `{"query":"{__typename}","variables":"` + secret + `"}`, 400},
		{"trailing data", `{"query":"{__typename}"} ` + secret, 400},
		{"too large", `{"query":"{__typename}","variables":{"x":"` + secret + strings.Repeat("x", 5000) + `"}}`, 413},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			url, logs := newServer(t)
			resp, body := do(t, "POST", url+"/query", "application/json", tc.body)
			assert.Equal(t, tc.status, resp.StatusCode)
			var r struct {
				Errors []struct {
					Message    string
					Extensions map[string]any
				}
			}
			require.NoError(t, json.Unmarshal([]byte(body), &r), body)
			require.Len(t, r.Errors, 1)
			assert.Equal(t, "BAD_REQUEST", r.Errors[0].Extensions["code"])
			assert.NotContains(t, body, secret)
			assert.NotContains(t, logs(), secret)
		})
	}
}

// TestAccessLogHasNoQueryOrBody: the access log names the path, never the
// query string or the body.
func TestAccessLogHasNoQueryOrBody(t *testing.T) {
	t.Parallel()
	url, logs := newServer(t)
	resp, _ := do(t, "GET", url+`/query?query=%7Bcustomers(ownerId%3A%22dowen%22)%7Bedges%7Bcursor%7D%7D%7D&x=13812345678`, "", "")
	require.Equal(t, 200, resp.StatusCode)
	resp, _ = do(t, "POST", url+"/query", "application/json", `{"query":"{ customers(ownerId: \"lina13812345678\") { edges { cursor } } }"}`)
	require.Equal(t, 200, resp.StatusCode)
	out := logs()
	assert.Contains(t, out, `"path":"/query"`)
	assert.NotContains(t, out, "13812345678")
	assert.NotContains(t, out, "dowen")
}
