package graph

import (
	"context"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// followUpLimits bound the follow-up connection.
var followUpLimits = relay.Limits{Default: 20, Max: tanma.MaxPageSize}

// followUps pages through a customer's follow-ups. Upstream pages are asked
// for one record more than the page needs (so the usual "latest follow-up"
// query costs one small call and still knows hasNextPage); Tanma's cursors
// mark a position, so a cursor stays valid whatever size the next page has.
// Every customer's page goes through the follow-up loader: identical pages
// are fetched once and the calls of one request run with bounded concurrency.
func (r *Resolver) followUps(ctx context.Context, c *model.Customer, args relay.Args) (*model.FollowUpConnection, error) {
	size := followUpLimits.Default + 1
	if args.First != nil && *args.First >= 0 {
		size = min(*args.First+1, tanma.MaxPageSize)
	}
	l := loaders.For(ctx)
	fetch := func(ctx context.Context, token string) ([]tanma.FollowUp, string, error) {
		page, err := l.FollowUps.Load(ctx, loaders.FollowUpKey{CustomerID: c.UpstreamID, Cursor: token, Size: size})()
		return page.List, page.NextCursor, err
	}
	key := func(f tanma.FollowUp) string { return f.ID.String() }
	page, err := relay.Paginate(ctx, args, followUpLimits, "followups:"+c.CustomerID, key, fetch, nil)
	if err != nil {
		return nil, err
	}
	conn := &model.FollowUpConnection{Edges: make([]model.FollowUpEdge, len(page.Edges)), PageInfo: pageInfo(page)}
	for i, e := range page.Edges {
		conn.Edges[i] = model.FollowUpEdge{Cursor: e.Cursor, Node: model.NewFollowUp(e.Node)}
	}
	return conn, nil
}
