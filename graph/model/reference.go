package model

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/tanma-gql/gateway/internal/refdata"
)

// Reference is the reference data a request's models are typed and
// labelled with: the request's snapshot of the field definitions, the tag
// library and the staff directory (each read once per request, so every
// model of a request sees the same copy), and where to report values that
// could not be typed. The graph's Resolver provides it.
//
// Fields computed from it are model methods, not resolvers, and the
// generated executor runs them on their object's goroutine (see
// internal/execgen): reading a snapshot waits at most for the one shared
// load of a cold cache, never for a loader batch.
type Reference interface {
	FieldSet(ctx context.Context) (*refdata.FieldSet, error)
	TagIndex(ctx context.Context) (*TagIndex, error)
	Directory(ctx context.Context) (*refdata.Directory, error)
	// FormerStaff is the directory of staff who left (Tanma lists them with
	// deleted: 1), read only when someone is not in Directory.
	FormerStaff(ctx context.Context) (*refdata.Directory, error)
	// ReportField hears of a value that could not be typed: the field's key
	// and the problem, never the value (it may be personal data).
	ReportField(ctx context.Context, key string, problem FieldValueProblem)
}

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
