package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// partial reports err at the current field without failing it: the field
// keeps the value it could still compute (a select option without its
// label, typed fields without labels, no tags). Returning the error instead
// would null the field, and a non-null field passes the null up to its
// parent: one failed lookup would wipe out a whole page of customers.
func partial(ctx context.Context, err error) {
	if err != nil {
		graphql.AddError(ctx, err)
	}
}
