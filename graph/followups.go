package graph

import (
	"context"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
)

// followUps pages through a customer's follow-ups (customers.Store.FollowUps).
func (r *Resolver) followUps(ctx context.Context, c *model.Customer, args relay.Args) (*model.FollowUpConnection, error) {
	page, err := r.Customers.FollowUps(ctx, c.UpstreamID, args)
	if err != nil {
		return nil, err
	}
	reportAll(ctx, page.Problems)
	conn := &model.FollowUpConnection{Edges: make([]model.FollowUpEdge, len(page.Edges)), PageInfo: pageInfo(page.Page)}
	for i, e := range page.Edges {
		f := model.NewFollowUp(ctx, e.Node, r)
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
