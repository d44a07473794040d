package marshal

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// DeferredGroup is graphql.NewDeferredGroup for an object whose collected
// fields are fields. gqlgen builds a group for every object it marshals,
// computing (and allocating) the object's response path each time; the
// group is only ever used for fields deferred with @defer. So the group is
// built only when one of fields is deferred; otherwise the zero group,
// whose empty Defers the generated code then skips.
func DeferredGroup(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	for i := range fields {
		if fields[i].IsDeferred() {
			return graphql.NewDeferredGroup(ctx)
		}
	}
	return graphql.DeferredGroup{}
}
