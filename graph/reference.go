package graph

import (
	"context"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/refdata"
)

var _ model.Reference = (*Resolver)(nil)

// FieldSet is the request's snapshot of the field definitions.
func (r *Resolver) FieldSet(ctx context.Context) (*refdata.FieldSet, error) {
	return loaders.For(ctx).Fields(ctx)
}

// Directory is the request's snapshot of the staff directory.
func (r *Resolver) Directory(ctx context.Context) (*refdata.Directory, error) {
	return loaders.For(ctx).Staff(ctx)
}

// FormerStaff is the request's snapshot of the staff who left.
func (r *Resolver) FormerStaff(ctx context.Context) (*refdata.Directory, error) {
	return loaders.For(ctx).Former(ctx)
}

// TagIndex is the request's snapshot of the tag library as models, built
// once per load of the library and shared by every request that reads it.
func (r *Resolver) TagIndex(ctx context.Context) (*model.TagIndex, error) {
	lib, err := loaders.For(ctx).Tags(ctx)
	if err != nil {
		return nil, err
	}
	if x := r.tags.Load(); x != nil && x.Library == lib {
		return x, nil
	}
	x := model.NewTagIndex(lib)
	r.tags.Store(x)
	return x, nil
}

// ReportField counts a value that could not be typed (OnUntyped) and logs,
// once per field key and problem for the process, that it happened. The
// value itself is never logged.
func (r *Resolver) ReportField(ctx context.Context, key string, p model.FieldValueProblem) {
	if r.OnUntyped != nil {
		r.OnUntyped(key, string(p))
	}
	if _, seen := r.reported.LoadOrStore(key+"\x00"+string(p), true); !seen {
		r.Log.DebugContext(ctx, "customer field value not typed", "field", key, "problem", string(p))
	}
}
