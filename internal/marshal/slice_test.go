package marshal_test

import (
	"bytes"
	"context"
	"runtime"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/internal/marshal"
)

// goid is the calling goroutine's id, read from its stack header.
func goid() string {
	b := make([]byte, 64)
	b = b[:runtime.Stack(b, false)]
	return string(bytes.Fields(b)[1])
}

func elementCtx() context.Context {
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	return graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "fields"}}})
}

// TestSliceIsGqlgensWithoutGoroutines: every element runs on the
// caller's goroutine, in order, with a field context holding its index
// (so error paths are the same as gqlgen's).
func TestSliceIsGqlgensWithoutGoroutines(t *testing.T) {
	t.Parallel()
	ctx := elementCtx()
	caller := goid()
	var order []int
	var paths []string
	ret := marshal.Slice(ctx, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		assert.Equal(t, caller, goid(), "element %d on the caller's goroutine", i)
		order = append(order, i)
		paths = append(paths, graphql.GetPath(ctx).String())
		return graphql.MarshalInt(i)
	})
	assert.Equal(t, []int{0, 1, 2}, order)
	assert.Equal(t, []string{"fields[0]", "fields[1]", "fields[2]"}, paths)
	var b bytes.Buffer
	ret.MarshalGQL(&b)
	assert.Equal(t, "[0,1,2]", b.String())
	assert.Empty(t, marshal.Slice(ctx, 0, 0, false, nil))
}

// TestSliceRecoversPerElement: a panicking element is null with an
// error at its path; the others are marshaled.
func TestSliceRecoversPerElement(t *testing.T) {
	t.Parallel()
	ctx := elementCtx()
	ret := marshal.Slice(ctx, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		if i == 1 {
			panic("boom")
		}
		return graphql.MarshalInt(i)
	})
	assert.Equal(t, graphql.Null, ret[1])
	var b bytes.Buffer
	ret.MarshalGQL(&b)
	assert.Equal(t, "[0,null,2]", b.String())
	errs := graphql.GetErrors(ctx)
	require.Len(t, errs, 1)
	assert.Equal(t, "fields[1]", errs[0].Path.String())
}

type otherKey struct{}

// TestSliceElementsAreContexts: an element's context is what
// graphql.WithFieldContext would make of its parent: its field context
// (index, parent) under gqlgen's key, every other value and the
// cancellation of the parent, and contexts made from it see the same.
func TestSliceElementsAreContexts(t *testing.T) {
	t.Parallel()
	parent, cancel := context.WithCancel(context.WithValue(elementCtx(), otherKey{}, "kept"))
	parentFC := graphql.GetFieldContext(parent)
	var elements []context.Context
	marshal.Slice(parent, 2, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		elements = append(elements, ctx)
		return graphql.Null
	})
	for i, ctx := range elements {
		fc := graphql.GetFieldContext(ctx)
		require.NotNil(t, fc)
		assert.Equal(t, i, *fc.Index)
		assert.Same(t, parentFC, fc.Parent)
		assert.Equal(t, "kept", ctx.Value(otherKey{}))
		child := graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{Field: &ast.Field{Alias: "label"}}})
		assert.Equal(t, "fields["+string(rune('0'+i))+"].label", graphql.GetPath(child).String())
		assert.Same(t, fc, graphql.GetFieldContext(child).Parent)
	}
	derived, stop := context.WithCancel(elements[1])
	defer stop()
	cancel()
	<-elements[0].Done()
	<-derived.Done()
	assert.ErrorIs(t, derived.Err(), context.Canceled)
}

// TestSliceAllocations: a list's element contexts are one allocation,
// whatever its length (gqlgen makes one or more per element).
func TestSliceAllocations(t *testing.T) {
	ctx := elementCtx()
	null := func(context.Context, int) graphql.Marshaler { return graphql.Null }
	for _, n := range []int{1, 10, 100} {
		allocs := testing.AllocsPerRun(50, func() { marshal.Slice(ctx, n, 0, true, null) })
		assert.Equal(t, 2.0, allocs, "%d elements: the array and the contexts", n)
	}
}
