package executor

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// sharer is a persisted query cache that other replicas read too
// (internal/redisstore): gqlgen's APQ adds a registered document to it before
// the document is parsed, so it is shared only once the document has
// passed validation and the operation limits.
type sharer interface {
	Share(ctx context.Context, hash, query string)
}

// apqShare shares the document an APQ request registered, after
// validation and the limits: a caller cannot fill the shared store with
// documents that never run.
type apqShare struct{ cache sharer }

var (
	_ graphql.HandlerExtension        = apqShare{}
	_ graphql.OperationContextMutator = apqShare{}
)

func (apqShare) ExtensionName() string                   { return "PersistedQuerySharing" }
func (apqShare) Validate(graphql.ExecutableSchema) error { return nil }

func (a apqShare) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if st, ok := rc.Stats.GetExtension("APQ").(*extension.ApqStats); ok && st.SentQuery {
		a.cache.Share(ctx, st.Hash, rc.RawQuery)
	}
	return nil
}
