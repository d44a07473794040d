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
// panicking element becomes null with an error at its path. Every
// element's context is made in one allocation (see element).
func Slice(ctx context.Context, length int, _ int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler,
) graphql.Array {
	ret := make(graphql.Array, length)
	if length == 0 {
		return ret
	}
	elements := make([]element, length)
	parent := graphql.GetFieldContext(ctx)
	for i := range elements {
		e := &elements[i]
		e.Context, e.index = ctx, i
		e.fc.Index, e.fc.Parent = &e.index, parent
		ret[i] = marshalOne(e, i, omitPanicHandler, marshalElement)
	}
	return ret
}

// element is a list element's context: its parent's, with the element's
// field context where graphql.WithFieldContext would put it. gqlgen's
// makes a context value per element; these are made with their siblings,
// in one slice.
type element struct {
	context.Context
	fc    graphql.FieldContext
	index int
}

// Value is the element's field context for gqlgen's field context key,
// else the parent's value.
func (e *element) Value(key any) any {
	if fieldContextKey(key) {
		return &e.fc
	}
	return e.Context.Value(key)
}

// probe is a context holding a field context under gqlgen's (unexported)
// key, to tell that key from others.
var (
	probeField = &graphql.FieldContext{}
	probe      = graphql.WithFieldContext(context.Background(), probeField)
)

// fieldContextKey: key is the one gqlgen keeps a field context under.
func fieldContextKey(key any) bool { return probe.Value(key) == probeField }

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
