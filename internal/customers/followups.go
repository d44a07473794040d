package customers

import (
	"context"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// FollowUpLimits bound the follow-up connection (and its cost). Upstream pages are asked
// for one record more than the page needs, so the usual "latest follow-up"
// query costs one small call and still knows hasNextPage; cursors remember
// the size of their page (see relay.Limits.PageSize).
var FollowUpLimits = relay.Limits{Default: 20, Max: tanma.MaxPageSize,
	PageSize: func(first int) int { return min(first+1, tanma.MaxPageSize) }}

// FollowUps pages through a customer's follow-ups, newest first. Every
// page goes through the request's follow-up loader: identical pages are
// fetched once and the calls of one request run with bounded concurrency;
// a page read in the last FollowUpTTL costs nothing.
func (s *Store) FollowUps(ctx context.Context, customerID tanma.ID, args relay.Args) (relay.Page[tanma.FollowUp], error) {
	l := loaders.For(ctx)
	fetch := func(ctx context.Context, token string, size int) ([]tanma.FollowUp, string, error) {
		page, err := l.FollowUps.Load(ctx, loaders.FollowUpKey{CustomerID: customerID, Cursor: token, Size: size})()
		return page.List, page.NextCursor, err
	}
	key := func(f tanma.FollowUp) string { return f.ID.String() }
	return relay.Paginate(ctx, s.cursors, args, FollowUpLimits, "followups:"+customerID.String(), key, fetch, nil)
}

// followUpPage is the follow-up loader's read of one page.
func (s *Store) followUpPage(ctx context.Context, k loaders.FollowUpKey) (tanma.FollowUpPage, error) {
	if page, ok := s.recent.getFollowUps(k); ok {
		return page, nil
	}
	page, err := s.client.ListFollowUps(ctx, tanma.FollowUpsRequest{CustomerID: k.CustomerID, Cursor: k.Cursor, Size: k.Size})
	if err == nil {
		s.recent.addFollowUps(k, page)
	}
	return page, err
}
