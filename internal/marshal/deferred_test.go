package marshal_test

import (
	"context"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/internal/marshal"
)

// TestDeferredGroupOnlyForDeferredFields: an object none of whose fields is
// deferred gets the zero group (no path computed); one with a deferred
// field gets gqlgen's group at its path.
func TestDeferredGroupOnlyForDeferredFields(t *testing.T) {
	t.Parallel()
	ctx := elementCtx()
	plain := []graphql.CollectedField{{Field: &ast.Field{Name: "key"}, IsNonDeferrable: true}}
	assert.Equal(t, graphql.DeferredGroup{}, marshal.DeferredGroup(ctx, plain))
	assert.Equal(t, graphql.DeferredGroup{}, marshal.DeferredGroup(ctx, nil))

	deferred := append(plain, graphql.CollectedField{Field: &ast.Field{Name: "followUps"},
		Deferrables: []*graphql.Deferrable{{Label: "later"}}})
	g := marshal.DeferredGroup(ctx, deferred)
	assert.Equal(t, "fields", g.Path.String())
	assert.NotNil(t, g.Defers)
	assert.Equal(t, ctx, g.Context)
}

// TestNextDeferredEndsWithItsContext: the wait returns a result sent to it,
// and ends (false) when its context ends with nothing sent: a deferred
// fragment whose context ended may never send.
func TestNextDeferredEndsWithItsContext(t *testing.T) {
	t.Parallel()
	results := make(chan graphql.DeferredResult)
	go func() { results <- graphql.DeferredResult{Label: "later"} }()
	r, ok := marshal.NextDeferred(context.Background(), results)
	assert.True(t, ok)
	assert.Equal(t, "later", r.Label)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	r, ok = marshal.NextDeferred(ctx, results)
	assert.False(t, ok, "nothing sent: the wait ends with its context")
	assert.Equal(t, graphql.DeferredResult{}, r)
}
