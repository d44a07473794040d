package telemetry_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/tanma-gql/gateway/internal/metrics"
	"github.com/tanma-gql/gateway/internal/requestlog"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/tanma"
	"github.com/tanma-gql/gateway/internal/telemetry"
)

// TestUpstreamCallsAreSpannedCountedAndMeasured: every upstream attempt is a
// client span (child of the caller's span), a sample in the metrics and a
// count in the request's log record.
func TestUpstreamCallsAreSpannedCountedAndMeasured(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	m := metrics.New()
	_, c := sandboxtest.Start(t, nil, tanma.WithObserver(telemetry.Upstream{Metrics: m, Tracer: tp.Tracer("tanma")}))
	entry := &requestlog.Entry{ID: "r1"}
	ctx, parent := tp.Tracer("test").Start(requestlog.With(context.Background(), entry), "operation")
	_, err := c.ListTagTree(ctx)
	require.NoError(t, err)
	parent.End()

	assert.Equal(t, int64(1), entry.UpstreamCalls())
	spans := rec.Ended()
	require.Len(t, spans, 2)
	call := spans[0]
	assert.Equal(t, "tanma "+tanma.PathTagTree, call.Name())
	assert.Equal(t, parent.SpanContext().SpanID(), call.Parent().SpanID())
	assert.Contains(t, call.Attributes(), attribute.String("tanma.outcome", "ok"))
	assert.Contains(t, call.Attributes(), attribute.Int("tanma.attempt", 1))
	count := testutilCount(t, m, tanma.PathTagTree)
	assert.Equal(t, uint64(1), count)
}

func TestTracingIsOffWithoutAnEndpoint(t *testing.T) {
	t.Parallel()
	tp, stop, err := telemetry.Tracing(context.Background(), "", "test")
	require.NoError(t, err)
	_, span := tp.Tracer("x").Start(context.Background(), "s")
	assert.False(t, span.SpanContext().IsValid(), "a no-op span")
	span.End()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	assert.NoError(t, stop(ctx))
}

// testutilCount reads the sample count of the upstream histogram for an endpoint.
func testutilCount(t *testing.T, m *metrics.Metrics, endpoint string) uint64 {
	t.Helper()
	families, err := m.Registry().Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != "gateway_upstream_request_duration_seconds" {
			continue
		}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if l.GetName() == "endpoint" && l.GetValue() == endpoint {
					return s.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return 0
}
