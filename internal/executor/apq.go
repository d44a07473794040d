package executor

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// persistedQueries is gqlgen's automatic persisted queries with its
// request errors coded: gqlgen leaves a hash that does not match its
// document, and a malformed or unsupported extension, without a code, so
// the error presenter took them for the gateway's own failures (INTERNAL,
// logged as errors) although the caller sent them.
type persistedQueries struct {
	extension.AutomaticPersistedQuery
}

var (
	_ graphql.HandlerExtension          = persistedQueries{}
	_ graphql.OperationParameterMutator = persistedQueries{}
)

// MutateOperationParameters resolves the document as gqlgen does, coding
// its refusals.
func (p persistedQueries) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	err := p.AutomaticPersistedQuery.MutateOperationParameters(ctx, params)
	if err == nil {
		return nil
	}
	if _, coded := err.Extensions["code"]; !coded {
		// The caller's mistake, refused before anything runs: the
		// persistedQuery extension is not one the gateway reads (not an
		// object, or a version other than 1), or the document does not
		// hash to the sha256 sent with it.
		code := apperr.BadRequest
		if err.Message == "provided APQ hash does not match query" {
			code = apperr.PersistedQueryHashMismatch
			err.Message = "the persisted query's sha256 does not match the document sent with it"
		}
		setCode(err, code)
	}
	return err
}
