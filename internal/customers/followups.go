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

// FollowUps is a page of a customer's follow-ups, checked.
type FollowUps struct {
	relay.Page[tanma.FollowUp]
	// Problems are records left out for having no id (see Page.Problems).
	Problems []error
}

// FollowUps pages through a customer's follow-ups, newest first. Every
// page goes through the request's follow-up loader: identical pages are
// fetched once and the calls of one request run with bounded concurrency;
// a page read in the last FollowUpTTL costs nothing. A page without its
// list is an error; a record without an id is left out, and Problems say
// so.
func (s *Store) FollowUps(ctx context.Context, customerID tanma.ID, args relay.Args) (FollowUps, error) {
	l := loaders.For(ctx)
	var seen problems
	fetch := func(ctx context.Context, token string, size int) ([]tanma.FollowUp, string, error) {
		page, err := l.FollowUps.Load(ctx, loaders.FollowUpKey{CustomerID: customerID, Cursor: token, Size: size})()
		if err != nil {
			return nil, "", err
		}
		if page.List == nil {
			return nil, "", s.invalid(tanma.PathListFollowUps, problemMissingList, "the follow-up page has no list")
		}
		items := make([]tanma.FollowUp, 0, len(page.List))
		for _, f := range page.List {
			if f.ID > 0 {
				items = append(items, f)
			}
		}
		if missing := len(page.List) - len(items); missing > 0 {
			s.onInvalid(problemNoID)
			seen.add(leftOut(missing, "follow-up"))
		}
		return items, page.NextCursor, nil
	}
	key := func(f tanma.FollowUp) string { return f.ID.String() }
	page, err := relay.Paginate(ctx, s.cursors, args, FollowUpLimits, "followups:"+customerID.String(), key, fetch, nil, nil)
	return FollowUps{Page: page, Problems: seen}, err
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
