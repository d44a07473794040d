package executor_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/tanma-gql/gateway/bench/queries"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/server"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestOperationSpanCoversDeferredParts: an operation answered in parts
// has one span, ended after its last part (the follow-ups, which the
// sandbox takes 150 ms over), not with its first.
func TestOperationSpanCoversDeferredParts(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	sb := &sandbox.Server{}
	sb.SetFaults(sandbox.Faults{Latency: 150 * time.Millisecond, Paths: []string{tanma.PathListFollowUps}})
	_, tc := sandboxtest.Start(t, sb)
	h := server.GraphQL(server.NewResolver(tc, slog.New(slog.DiscardHandler), refdata.DefaultPolicy, nil),
		executor.Options{Tracer: tp.Tracer("test")})

	body, err := json.Marshal(map[string]any{"query": queries.DashboardDeferredFollowUps, "variables": map[string]any{"owner": "lina"}})
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", "multipart/mixed;deferSpec=20220824,application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r.WithContext(auth.WithCaller(r.Context(), auth.Anonymous(auth.Permissions()...))))
	require.Equal(t, http.StatusOK, w.Code)
	require.True(t, strings.HasPrefix(w.Header().Get("Content-Type"), "multipart/mixed"), w.Body.String())
	assert.Contains(t, w.Body.String(), `"hasNext":false}`)

	spans := rec.Ended()
	require.Len(t, spans, 1)
	assert.Equal(t, "graphql Dashboard", spans[0].Name())
	assert.GreaterOrEqual(t, spans[0].EndTime().Sub(spans[0].StartTime()), 150*time.Millisecond,
		"the span lasts until the deferred follow-ups are written")
}
