package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
)

// pageArgs gathers a connection field's paging arguments. When the query
// does not select pageInfo, the paginator need not fetch ahead to compute
// hasNextPage.
func pageArgs(ctx context.Context, first *int, after *string, last *int, before *string) relay.Args {
	return relay.Args{First: first, After: after, Last: last, Before: before, SkipPeek: !wants(ctx, "pageInfo")}
}

// pageInfo maps a paginator page to the Relay page info.
func pageInfo[T any](p relay.Page[T]) *model.PageInfo {
	return &model.PageInfo{HasNextPage: p.HasNextPage, HasPreviousPage: p.HasPreviousPage,
		StartCursor: p.StartCursor(), EndCursor: p.EndCursor()}
}

// wants reports whether the current field's selection asks for a child.
func wants(ctx context.Context, name string) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}
