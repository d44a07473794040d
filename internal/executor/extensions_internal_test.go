package executor

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/otel/trace/noop"
)

// sharingCache is a persisted-query cache that shares documents, so the
// sharing extension is installed too.
type sharingCache struct{ graphql.Cache[string] }

func (sharingCache) Share(context.Context, string, string) {}

// TestNoFieldInterceptors: the generated executor marshals plain leaf
// fields without gqlgen's per-field machinery (internal/execgen), so a
// field interceptor installed here would silently miss them. Every
// extension the handler can install is checked, with every option on.
func TestNoFieldInterceptors(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{
		{},
		{Tracer: noop.NewTracerProvider().Tracer("test"), PersistedQueries: sharingCache{}},
		{Tracer: noop.NewTracerProvider().Tracer("test"), TrustedDocuments: TrustedDocuments{}},
	} {
		o.Limits = o.Limits.WithDefaults()
		exts := extensions(o)
		assert.NotEmpty(t, exts)
		for _, ext := range exts {
			_, intercepts := ext.(graphql.FieldInterceptor)
			assert.False(t, intercepts, "%s intercepts fields", ext.ExtensionName())
		}
	}
}
