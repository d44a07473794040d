package graph

import (
	"context"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// followUpLimits bound the follow-up connection. Upstream pages are asked
// for one record more than the page needs, so the usual "latest follow-up"
// query costs one small call and still knows hasNextPage; cursors remember
// the size of their page (see relay.Limits.PageSize).
var followUpLimits = relay.Limits{Default: 20, Max: tanma.MaxPageSize,
	PageSize: func(first int) int { return min(first+1, tanma.MaxPageSize) }}

// followUps pages through a customer's follow-ups. Every customer's page goes
// through the follow-up loader: identical pages are fetched once and the
// calls of one request run with bounded concurrency.
func (r *Resolver) followUps(ctx context.Context, c *model.Customer, args relay.Args) (*model.FollowUpConnection, error) {
	l := loaders.For(ctx)
	fetch := func(ctx context.Context, token string, size int) ([]tanma.FollowUp, string, error) {
		page, err := l.FollowUps.Load(ctx, loaders.FollowUpKey{CustomerID: c.UpstreamID, Cursor: token, Size: size})()
		return page.List, page.NextCursor, err
	}
	key := func(f tanma.FollowUp) string { return f.ID.String() }
	page, err := relay.Paginate(ctx, r.cursors, args, followUpLimits, "followups:"+c.CustomerID, key, fetch, nil)
	if err != nil {
		return nil, err
	}
	conn := &model.FollowUpConnection{Edges: make([]model.FollowUpEdge, len(page.Edges)), PageInfo: pageInfo(page)}
	for i, e := range page.Edges {
		f := model.NewFollowUp(e.Node, r)
		if f.Author != nil && !seesStaff(ctx, f.Author.QwUserID) {
			// Outside the caller's staff scope: the Staff object would open
			// their directory entry and departments, which Query.staff and
			// node hide. The record's own authorName stays.
			f.Author = nil
		}
		conn.Edges[i] = model.FollowUpEdge{Cursor: e.Cursor, Node: f}
	}
	return conn, nil
}
