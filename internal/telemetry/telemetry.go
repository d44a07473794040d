// Package telemetry connects the gateway to its observers: OpenTelemetry
// tracing (off unless an OTLP endpoint is configured) and the observer of
// upstream calls, which records each Tanma attempt in the metrics, in the
// request's log record and as a span.
package telemetry

import (
	"context"
	"fmt"
	"log/slog"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/tanma-gql/gateway/internal/metrics"
	"github.com/tanma-gql/gateway/internal/requestlog"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Tracing starts an OTLP/HTTP trace exporter when endpoint is set (the
// standard OTEL_EXPORTER_OTLP_* variables configure it further) and returns
// the tracer provider and its shutdown. With no endpoint it returns a no-op
// provider: no spans, no cost.
func Tracing(ctx context.Context, endpoint, version string) (trace.TracerProvider, func(context.Context) error, error) {
	if endpoint == "" {
		return noop.NewTracerProvider(), func(context.Context) error { return nil }, nil
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("tracing: %w", err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewWithAttributes(semconv.SchemaURL,
			semconv.ServiceName("tanma-graphql-gateway"), semconv.ServiceVersion(version))),
	)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	return tp, tp.Shutdown, nil
}

// Upstream observes Tanma calls.
type Upstream struct {
	Metrics *metrics.Metrics // may be nil
	Tracer  trace.Tracer     // may be nil
	// Log (may be nil) gets one line for every failed attempt: what failed
	// and how (endpoint, attempt, outcome, HTTP status, Tanma code,
	// duration, circuit state, request id), never what was sent or
	// answered.
	Log *slog.Logger
	// Health (may be nil) keeps what the attempts say of Tanma's health.
	Health *UpstreamHealth
}

var _ tanma.Observer = Upstream{}

// StartCall opens a span for one attempt and returns the function that
// records its end.
func (u Upstream) StartCall(ctx context.Context, path string) (context.Context, func(tanma.CallInfo)) {
	var span trace.Span
	if u.Tracer != nil {
		ctx, span = u.Tracer.Start(ctx, "tanma "+path, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("tanma.endpoint", path)))
	}
	entry := requestlog.From(ctx)
	return ctx, func(ci tanma.CallInfo) {
		entry.CountUpstreamCall()
		u.Metrics.UpstreamCall(ci.Path, ci.Outcome, ci.Duration)
		u.logFailure(ctx, entry, ci)
		u.Health.record(ci)
		if ci.Outcome == tanma.OutcomeQuota {
			u.Metrics.Rejected("upstream")
		}
		if span == nil {
			return
		}
		span.SetAttributes(attribute.Int("tanma.attempt", ci.Attempt), attribute.String("tanma.outcome", ci.Outcome),
			attribute.Int("tanma.code", ci.Code), attribute.Int("http.response.status_code", ci.HTTPStatus))
		if ci.Outcome != "ok" {
			span.SetStatus(codes.Error, ci.Outcome)
		}
		span.End()
	}
}

// logFailure logs a failed attempt once. A cancelled attempt (every caller
// went away) is no failure of the upstream's: debug level.
func (u Upstream) logFailure(ctx context.Context, entry *requestlog.Entry, ci tanma.CallInfo) {
	if u.Log == nil || ci.Outcome == tanma.OutcomeOK {
		return
	}
	level := slog.LevelWarn
	if ci.Outcome == tanma.OutcomeCanceled {
		level = slog.LevelDebug
	}
	attrs := []slog.Attr{slog.String("endpoint", ci.Path), slog.Int("attempt", ci.Attempt),
		slog.String("outcome", ci.Outcome), slog.Int64("duration_ms", ci.Duration.Milliseconds())}
	if ci.HTTPStatus != 0 {
		attrs = append(attrs, slog.Int("http_status", ci.HTTPStatus))
	}
	if ci.Code != 0 {
		attrs = append(attrs, slog.Int("code", ci.Code))
	}
	if ci.Circuit != "" {
		attrs = append(attrs, slog.String("circuit", ci.Circuit))
	}
	if entry != nil {
		attrs = append(attrs, slog.String("request_id", entry.ID))
	}
	u.Log.LogAttrs(ctx, level, "upstream attempt failed", attrs...)
}
