package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/server"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// env is the real GraphQL handler over a sandbox reached by signed HTTP.
type env struct {
	sb  *sandbox.Server
	h   http.Handler // served as the anonymous caller
	raw http.Handler // the handler without a caller
}

func newEnv(t testing.TB) *env { return buildEnv(t, envOptions{}) }

// newEnvWith is newEnv with the sandbox behind wrap (nil: none), for tests
// that watch the upstream traffic.
func newEnvWith(t testing.TB, wrap func(http.Handler) http.Handler) *env {
	t.Helper()
	return buildEnv(t, envOptions{wrap: wrap})
}

// newEnvLogged is newEnvWith with the resolvers logging to log; opts are
// applied to the upstream client last.
func newEnvLogged(t testing.TB, wrap func(http.Handler) http.Handler, log *slog.Logger, opts ...tanma.Option) *env {
	t.Helper()
	return buildEnv(t, envOptions{wrap: wrap, log: log, client: opts})
}

// envOptions configure a test env; the zero value is a fresh sandbox,
// logs discarded and the executor's defaults.
type envOptions struct {
	wrap   func(http.Handler) http.Handler // the sandbox behind it (nil: none)
	log    *slog.Logger                    // nil: discarded
	exec   executor.Options                // the executor's options
	client []tanma.Option                  // applied to the upstream client last
	plain  bool                            // FEDERATION=off: graph's plain schema
}

// buildEnv is the one place the tests' GraphQL stack is built: the handler
// internal/server serves (loaders and executor over graph's schema) over a
// sandbox reached by signed HTTP.
func buildEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	sb := &sandbox.Server{}
	var upstream http.Handler = sb
	if o.wrap != nil {
		upstream = o.wrap(sb)
	}
	ts := httptest.NewServer(upstream)
	t.Cleanup(ts.Close)
	tc, err := tanma.NewClient(append([]tanma.Option{tanma.WithBaseURL(ts.URL),
		tanma.WithCredentials(sandbox.DefaultAppID, sandbox.DefaultAppKey), tanma.WithRateLimit(0, 0)}, o.client...)...)
	require.NoError(t, err)
	handler := server.GraphQL
	if o.plain {
		handler = server.PlainGraphQL
	}
	h := handler(server.NewResolver(tc, o.log, refdata.DefaultPolicy, nil), o.exec)
	return &env{sb: sb, h: asCaller(auth.Anonymous(auth.Permissions()...), h), raw: h}
}

// as returns the env serving every request as caller c.
func (e *env) as(c auth.Caller) *env { return &env{sb: e.sb, h: asCaller(c, e.raw), raw: e.raw} }

// asCaller serves h as if the auth middleware had authenticated c.
func asCaller(c auth.Caller, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(auth.WithCaller(r.Context(), c)))
	})
}

// calls returns the sandbox's call count per endpoint path.
func (e *env) calls(paths ...string) map[string]int64 {
	out := map[string]int64{}
	for _, p := range paths {
		if n := e.sb.Calls(p); n > 0 {
			out[p] = n
		}
	}
	return out
}

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// do runs a query and returns its data decoded into out and its errors.
// Options are gqlgen client options (client.Var and the like).
func (e *env) do(t testing.TB, query string, out any, opts ...client.Option) []gqlError {
	t.Helper()
	_, errs := e.post(t, query, out, opts...)
	return errs
}

// post is do that also returns the HTTP status: refused operations answer
// 4xx, which gqlgen's own client reports only as an error string.
func (e *env) post(t testing.TB, query string, out any, opts ...client.Option) (int, []gqlError) {
	t.Helper()
	r := &client.Request{Query: query, HTTP: httptest.NewRequest(http.MethodPost, "/query", nil)}
	for _, o := range opts {
		o(r)
	}
	body, err := json.Marshal(r)
	require.NoError(t, err)
	r.HTTP.Body = io.NopCloser(bytes.NewReader(body))
	r.HTTP.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r.HTTP)
	var resp struct {
		Data   json.RawMessage
		Errors []gqlError
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp), w.Body.String())
	if out != nil && len(resp.Data) > 0 && string(resp.Data) != "null" {
		require.NoError(t, json.Unmarshal(resp.Data, out))
	}
	return w.Code, resp.Errors
}

// mustDo runs a query that must not fail.
func (e *env) mustDo(t testing.TB, query string, out any, opts ...client.Option) {
	t.Helper()
	errs := e.do(t, query, out, opts...)
	require.Empty(t, errs, "query errors")
}

// codes lists the extensions.code of each error.
func codes(errs []gqlError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i], _ = e.Extensions["code"].(string)
	}
	return out
}

// rewriteAnswers is an upstream that answers path as the sandbox does,
// its data edited by edit (other paths untouched): how tests make Tanma
// answer outside its documented shape.
func rewriteAnswers(path string, edit func(data map[string]any)) func(http.Handler) http.Handler {
	return rewriteUpstream(path, func(_, env map[string]any) {
		if data, ok := env["data"].(map[string]any); ok {
			edit(data)
		}
	})
}

// rewriteUpstream is rewriteAnswers with the whole envelope and the
// request's body to decide on (sandboxtest.Rewrite).
var rewriteUpstream = sandboxtest.Rewrite

// postJSON posts a GraphQL request body and decodes the answer.
func postJSON(t *testing.T, h http.Handler, body any) (int, map[string]any) {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	var resp map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp), w.Body.String())
	return w.Code, resp
}
