package metrics

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/apperr"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	b, err := io.ReadAll(w.Body)
	require.NoError(t, err)
	return string(b)
}

func TestMetricsAreRecorded(t *testing.T) {
	t.Parallel()
	m := New()
	m.GraphQLRequest("Dashboard", "ok", 20*time.Millisecond)
	m.GraphQLRequest("", "NOT_A_CODE", time.Millisecond)
	m.UpstreamCall("/api/v3/tags/list-tree", "http_5xx", time.Millisecond)
	m.Batch("customer", 7)
	m.CacheRead("tags", "hit")
	m.Rejected("caller")
	m.WatchCircuits(func() map[string]string { return map[string]string{"/api/v3/get-users": "open"} })
	m.WatchRedis(func() bool { return false })
	out := scrape(t, m)
	for _, want := range []string{
		`gateway_graphql_request_duration_seconds_count{operation="Dashboard",outcome="ok"} 1`,
		`gateway_graphql_request_duration_seconds_count{operation="anonymous",outcome="other"} 1`,
		`gateway_upstream_request_duration_seconds_count{endpoint="/api/v3/tags/list-tree",outcome="http_5xx"} 1`,
		`gateway_loader_batch_size_sum{loader="customer"} 7`,
		`gateway_reference_cache_requests_total{cache="tags",result="hit"} 1`,
		`gateway_rate_limit_rejections_total{limiter="caller"} 1`,
		`gateway_upstream_circuit_state{endpoint="/api/v3/get-users"} 2`,
		`gateway_redis_up 0`,
		`go_goroutines`,
	} {
		assert.Contains(t, out, want)
	}
}

// TestEveryDeclaredCodeIsAnOutcomeLabel: a request that ends with any code
// of the vocabulary is counted under that code, never as "other".
func TestEveryDeclaredCodeIsAnOutcomeLabel(t *testing.T) {
	t.Parallel()
	m := New()
	for _, c := range apperr.Codes() {
		m.GraphQLRequest("Op", string(c), time.Millisecond)
	}
	out := scrape(t, m)
	for _, c := range apperr.Codes() {
		assert.Contains(t, out, fmt.Sprintf(`gateway_graphql_request_duration_seconds_count{operation="Op",outcome="%s"} 1`, c))
	}
	assert.NotContains(t, out, `outcome="other"`)
}

// TestOperationLabelsAreBounded: client-chosen operation names cannot grow
// the series without limit.
func TestOperationLabelsAreBounded(t *testing.T) {
	t.Parallel()
	m := New()
	for i := range 500 {
		m.GraphQLRequest(fmt.Sprintf("Op%d", i), "ok", time.Millisecond)
	}
	m.GraphQLRequest("not a name!", "ok", time.Millisecond)
	out := scrape(t, m)
	assert.Equal(t, 200+1, strings.Count(out, "gateway_graphql_request_duration_seconds_count{"))
	assert.Contains(t, out, `operation="other"`)
}

func TestNilMetricsRecordNothing(t *testing.T) {
	t.Parallel()
	var m *Metrics
	m.GraphQLRequest("x", "ok", 0)
	m.UpstreamCall("x", "ok", 0)
	m.Batch("x", 1)
	m.CacheRead("x", "hit")
	m.Rejected("x")
	m.WatchCircuits(nil)
	m.WatchRedis(nil)
}
