package executor

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// tracingExtension puts every operation in a span; upstream calls made for
// it become its children (see internal/telemetry).
type tracingExtension struct{ tracer trace.Tracer }

var (
	_ graphql.HandlerExtension     = tracingExtension{}
	_ graphql.OperationInterceptor = tracingExtension{}
)

func (tracingExtension) ExtensionName() string                   { return "Tracing" }
func (tracingExtension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation spans one operation, named by its operation name,
// until its last response (an operation that defers fields answers in
// several).
func (t tracingExtension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	rc := graphql.GetOperationContext(ctx)
	name := "graphql"
	if op := operationName(rc); op != "" {
		name = "graphql " + op
	}
	ctx, span := t.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer))
	if rc.Operation != nil {
		span.SetAttributes(attribute.String("graphql.operation.type", string(rc.Operation.Operation)))
	}
	handler := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := handler(ctx)
		if resp != nil && len(resp.Errors) > 0 {
			span.SetStatus(codes.Error, "the response carries errors")
		}
		if resp == nil || resp.HasNext == nil || !*resp.HasNext {
			span.End()
		}
		return resp
	}
}
