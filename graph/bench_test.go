package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/tanma-gql/gateway/bench/queries"
)

// benchQuery runs one document through the real handler, against the
// sandbox over loopback HTTP with no added latency, reference caches warm
// (one list call per page).
func benchQuery(b *testing.B, query string, vars map[string]any) {
	benchQueryAs(b, newEnv(b), query, vars)
}

// benchQueryAs is benchQuery on e (as its caller).
func benchQueryAs(b *testing.B, e *env, query string, vars map[string]any) {
	body, _ := json.Marshal(client.Request{Query: query, Variables: vars})
	run := func() {
		req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
			b.Fatalf("status %d: %.500s", w.Code, w.Body.String())
		}
	}
	run() // warm the reference caches
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
}

// BenchmarkDashboardPage is README's dashboard page of 50 customers (owner
// and departments, tags, labels, every typed field), without follow-ups.
func BenchmarkDashboardPage(b *testing.B) {
	benchQuery(b, queries.Dashboard, map[string]any{"owner": "wangfang"})
}

// BenchmarkDashboardPageMasked is the dashboard page for a caller without
// the personal-data permission: every personal value masked.
func BenchmarkDashboardPageMasked(b *testing.B) {
	benchQueryAs(b, newEnv(b).as(noPersonal), queries.Dashboard, map[string]any{"owner": "wangfang"})
}

// BenchmarkFieldsPage is the page with only the customers' typed fields.
func BenchmarkFieldsPage(b *testing.B) {
	benchQuery(b, queries.Fields, map[string]any{"owner": "wangfang"})
}
