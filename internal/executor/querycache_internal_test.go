package executor

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/bench/queries"
	"github.com/tanma-gql/gateway/graph"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/customers"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
)

// overSandbox is the GraphQL handler as internal/server builds it (graph's
// schema, the request's loaders) over a sandbox, serving every request as
// an anonymous caller with every permission.
func overSandbox(t *testing.T, o Options) http.Handler {
	t.Helper()
	_, client := sandboxtest.Start(t, nil)
	log := slog.New(slog.DiscardHandler)
	catalog := refdata.NewCatalog(client, refdata.DefaultPolicy, log)
	store := customers.New(customers.Options{Client: client, Catalog: catalog, Log: log})
	h := loaders.Middleware(store.Loaders(), New(graph.NewSchema(graph.NewResolver(store, catalog, log)), o))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(auth.WithCaller(r.Context(), auth.Anonymous(auth.Permissions()...))))
	})
}

// TestQueryCacheBudget: fed new documents that each validate (so gqlgen
// caches each), large in bytes or in nodes, with README's dashboard query
// between them, the query cache stays within its budget by its own
// accounting, and the dashboard, used all along, stays in it.
func TestQueryCacheBudget(t *testing.T) {
	t.Parallel()
	cache := newQueryCache()
	h := overSandbox(t, Options{queryCache: cache})
	literal := strings.Repeat("x", 200<<10)
	wide := strings.Repeat("name id groupId ", 33)
	post := func(query string, variables map[string]any) map[string]any {
		body, err := json.Marshal(map[string]any{"query": query, "variables": variables})
		require.NoError(t, err)
		req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		var resp map[string]any
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp))
		return resp
	}
	for i := range 150 {
		big := post(fmt.Sprintf(`query Big%d { __type(name: "%s") { name } }`, i, literal), nil)
		require.Nil(t, big["errors"], "validated and executed")
		post(fmt.Sprintf(`query Wide%d { tagGroups { %s} }`, i, wide), nil)
		require.Nil(t, post(queries.Dashboard, map[string]any{"owner": "dowen"})["errors"])
		_, used := cache.Usage()
		require.LessOrEqual(t, used, queryCacheBytes, "after %d rounds", i+1)
	}
	entries, used := cache.Usage()
	assert.Greater(t, used, queryCacheBytes*9/10, "the budget is used")
	assert.Less(t, entries, 300, "fewer than were sent: %d", entries)
	assert.True(t, cache.Contains(queries.Dashboard), "the dashboard, in use, is kept")
}
