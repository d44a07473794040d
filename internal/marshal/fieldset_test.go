package marshal_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/internal/marshal"
)

// collected is n fields named f0..f(n-1).
func collected(n int) []graphql.CollectedField {
	out := make([]graphql.CollectedField, n)
	for i := range out {
		name := fmt.Sprintf("f%d", i)
		out[i] = graphql.CollectedField{Field: &ast.Field{Name: name, Alias: name}}
	}
	return out
}

// TestFieldSetWritesWhatGqlgenWrites: for objects of no field, of as many
// as it holds inline and of more, the values set (directly and by
// dispatched root fields) are written as gqlgen's field set writes them.
func TestFieldSetWritesWhatGqlgenWrites(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 8, 9, 30} {
		fields := collected(n)
		ours, theirs := marshal.NewFieldSet(fields), graphql.NewFieldSet(fields)
		require.Len(t, ours.Values, n)
		for _, fs := range []*graphql.FieldSet{&ours.FieldSet, theirs} {
			for i := range n {
				if i%2 == 0 {
					fs.Values[i] = graphql.MarshalInt(i)
					continue
				}
				fs.ResolveRootConcurrently(context.Background(), &graphql.OperationContext{
					RootResolverMiddleware: func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler { return next(ctx) },
				}, i, false, true, func(context.Context) graphql.Marshaler { return graphql.MarshalInt(-i) })
			}
			fs.Dispatch(context.Background())
		}
		assert.Equal(t, written(theirs), written(ours.Object()), "%d fields", n)
	}
}

// TestFieldSetIsOneAllocation: a field set of up to 8 fields, its values
// and its writer are one allocation.
func TestFieldSetIsOneAllocation(t *testing.T) {
	fields := collected(8)
	var sink graphql.Marshaler
	allocs := testing.AllocsPerRun(100, func() {
		sink = marshal.NewFieldSet(fields).Object()
	})
	_ = sink
	assert.Equal(t, 1.0, allocs)
}
