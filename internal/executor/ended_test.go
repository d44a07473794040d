package executor_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/executor"
)

// TestRequestEndedBeforeItsOperationRan: a request whose context ended
// before its operation ran (the client left, the deadline passed) is
// answered with an error saying so, through the presenter, whether the
// client accepts parts or not, POST or GET: gqlgen's executor returns no
// response at all then.
func TestRequestEndedBeforeItsOperationRan(t *testing.T) {
	t.Parallel()
	h := handlerWith(t, executor.Options{})
	const q = `{ customers(ownerId: "dowen", first: 2) { edges { node { id ... @defer { followUps(first: 1) { edges { node { content } } } } } } } }`
	body, err := json.Marshal(map[string]any{"query": q})
	require.NoError(t, err)
	for name, r := range map[string]*http.Request{
		"POST":            httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(string(body))),
		"POST, multipart": httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(string(body))),
		"GET":             httptest.NewRequest(http.MethodGet, "/query?query="+strings.ReplaceAll(q, " ", "+"), nil),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("GraphQL-Require-Preflight", "1")
			if strings.Contains(name, "multipart") {
				r.Header.Set("Accept", "multipart/mixed;deferSpec=20220824,application/json")
			}
			ctx, cancel := context.WithCancel(r.Context())
			cancel()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r.WithContext(ctx))
			assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
			var resp map[string]any
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp), w.Body.String())
			assert.Equal(t, "UPSTREAM_UNAVAILABLE", firstCode(resp), w.Body.String())
			assert.Contains(t, w.Body.String(), "the request was cancelled")
		})
	}
}
