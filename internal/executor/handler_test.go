package executor_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/server"
)

// The executor's behaviour, tried through the handler internal/server
// serves (loaders and executor over graph's schema) over a sandbox, as an
// anonymous caller with every permission.

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// handlerWith is the real GraphQL handler over a sandbox, with options.
func handlerWith(t testing.TB, o executor.Options) http.Handler {
	t.Helper()
	return handlerLogged(t, o, slog.New(slog.DiscardHandler))
}

// handlerLogged is handlerWith logging to log.
func handlerLogged(t testing.TB, o executor.Options, log *slog.Logger) http.Handler {
	t.Helper()
	return serveAs(t, o, log, auth.Anonymous(auth.Permissions()...))
}

// handlerAs is handlerWith serving every request as caller c.
func handlerAs(t *testing.T, o executor.Options, c auth.Caller) http.Handler {
	t.Helper()
	return serveAs(t, o, slog.New(slog.DiscardHandler), c)
}

func serveAs(t testing.TB, o executor.Options, log *slog.Logger, c auth.Caller) http.Handler {
	t.Helper()
	_, tc := sandboxtest.Start(t, nil)
	h := server.GraphQL(server.NewResolver(tc, log, refdata.DefaultPolicy, nil), o)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(auth.WithCaller(r.Context(), c)))
	})
}

// postJSON posts a GraphQL request body and decodes the answer.
func postJSON(t testing.TB, h http.Handler, body any) (int, map[string]any) {
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

func firstCode(resp map[string]any) string {
	errs, _ := resp["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	ext, _ := errs[0].(map[string]any)["extensions"].(map[string]any)
	code, _ := ext["code"].(string)
	return code
}

func apqExt(hash string) map[string]any {
	return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
}
