package marshal

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// Slice marshals length elements one after the other on the
// caller's goroutine. It is graphql.MarshalSliceConcurrently without the
// goroutines: the same signature (workerLimit is moot here), the same
// per-element field context carrying the element's index (error paths and
// the element's fc.Result are unchanged), and the same panic handling: a
// panicking element becomes null with an error at its path.
func Slice(ctx context.Context, length int, _ int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) graphql.Array {
	ret := make(graphql.Array, length)
	if length == 0 {
		return ret
	}
	// One allocation for every element's context and index.
	fcs := make([]graphql.FieldContext, length)
	idx := make([]int, length)
	for i := range length {
		idx[i] = i
		fcs[i].Index = &idx[i]
		ret[i] = marshalOne(graphql.WithFieldContext(ctx, &fcs[i]), i, omitPanicHandler, marshalElement)
	}
	return ret
}

func marshalOne(ctx context.Context, i int, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) (ret graphql.Marshaler) {
	if !omitPanicHandler {
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(ctx, graphql.Recover(ctx, r))
				ret = graphql.Null
			}
		}()
	}
	return marshalElement(ctx, i)
}
