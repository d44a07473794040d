package executor

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/tanma-gql/gateway/internal/marshal"
)

// collectedFields is the extension that gives each operation its cache of
// collected fields (marshal.CollectFields, which the shaped executor calls
// for every object it writes).
type collectedFields struct{}

var (
	_ graphql.HandlerExtension     = collectedFields{}
	_ graphql.OperationInterceptor = collectedFields{}
)

func (collectedFields) ExtensionName() string                   { return "CollectedFields" }
func (collectedFields) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation runs the operation with its own cache.
func (collectedFields) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	return next(marshal.WithFieldsCache(ctx))
}
