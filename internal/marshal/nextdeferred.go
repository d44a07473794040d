package marshal

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// NextDeferred is the query's response handler's wait for its next
// deferred result (results is the operation's ec.DeferredResults): the
// result, or false when ctx ends first. gqlgen's handler receives from the
// channel alone, but a deferred fragment whose context has ended (the
// client went away, the request's deadline passed) may give up sending its
// result, and that wait would never end.
func NextDeferred(ctx context.Context, results <-chan graphql.DeferredResult) (graphql.DeferredResult, bool) {
	select {
	case r := <-results:
		return r, true
	case <-ctx.Done():
		return graphql.DeferredResult{}, false
	}
}
