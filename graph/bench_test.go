package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// pageBench is the benchmarked page: 50 customers, 12 fields each, with
// owner, tags and stage label.
const pageBench = `query Page($owner: ID!) { customers(ownerId: $owner, first: 50) { edges { node {
  id customerId name mobiles gender birthday createdAt updatedAt remark
  owner { name } tags { name } stage { label } } } pageInfo { hasNextPage endCursor } } }`

// BenchmarkDashboardPage runs the whole GraphQL execution of a 50-customer
// page through the real handler, against the sandbox over loopback HTTP with
// no added latency, reference caches warm (one list call per page).
func BenchmarkDashboardPage(b *testing.B) {
	e := newEnv(b)
	body, _ := json.Marshal(client.Request{Query: pageBench, Variables: map[string]any{"owner": "wangfang"}})
	run := func() {
		req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
			b.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
	}
	run() // warm the reference caches
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
}
