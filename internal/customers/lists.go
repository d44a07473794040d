package customers

import (
	"context"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// PageLimits bound every customer connection (and its cost): at most one upstream page
// (100, Tanma's page cap) per request.
var PageLimits = relay.Limits{Default: 20, Max: tanma.MaxPageSize}

// listLimits are PageLimits for the cursor-paged owner lists, which fetch
// first+1 customers (up to the cap): the extra one tells hasNextPage
// without a look-ahead call, and no customer is decoded only to be dropped.
// A cursor remembers the size of its page; the leftovers hand the rest of a
// page to the request that continues there.
var listLimits = relay.Limits{Default: PageLimits.Default, Max: PageLimits.Max,
	PageSize: func(first int) int { return min(first+1, tanma.MaxPageSize) }}

// Page is a page of customers as Tanma listed them, checked.
type Page struct {
	relay.Page[tanma.Customer]
	// Total is how many customers the whole search finds (searches asked
	// for it only; nil otherwise).
	Total *int
	// Problems are what the upstream pages read for this one sent outside
	// the documented shape and was left out (items without an id): errors
	// to show at the connection beside the page.
	Problems []error
}

// problems collects what the upstream pages of one request left out.
type problems []error

func (p *problems) add(err error) {
	if err != nil {
		*p = append(*p, err)
	}
}

// ended adds why a walk ended early (relay.Page.Ended), counted.
func (s *Store) ended(p problems, why error) []error {
	if why != nil {
		s.onInvalid(problemRepeatingWalk)
		return append(p, why)
	}
	return p
}

// Owned pages through one staff member's customers, in Tanma's order: the
// whole list, or with a window the customers whose relation was created in
// it (oldest first).
func (s *Store) Owned(ctx context.Context, qwUserID string, w tanma.Window, args relay.Args) (Page, error) {
	var seen problems
	fetch, scope := s.ownerList(qwUserID, w, &seen)
	page, err := relay.Paginate(ctx, s.cursors, args, listLimits, scope, customerKey, fetch, s.leftovers, s.walks)
	return Page{Page: page, Problems: s.ended(seen, page.Ended)}, err
}

// ownerList picks the upstream list for an owner and window (checked by
// the caller: an inverted window holds nothing).
func (s *Store) ownerList(qwUserID string, w tanma.Window, seen *problems) (relay.Fetch[tanma.Customer], string) {
	if w.Open() {
		return func(ctx context.Context, token string, size int) ([]tanma.Customer, string, error) {
			page, err := s.client.ListCustomersByQwUserID(ctx, tanma.ListByQwUserIDRequest{
				QwUserID: qwUserID, Cursor: token, Size: pageSize(size),
			})
			return s.listed(ctx, tanma.PathListByQwUserID, page, err, seen)
		}, "customers:" + qwUserID
	}
	since, before, empty := w.Bounds()
	return func(ctx context.Context, token string, size int) ([]tanma.Customer, string, error) {
		if empty {
			return nil, "", nil // no whole second in the window: nothing to ask
		}
		page, err := s.client.ListCustomersByRelationCreateTime(ctx, tanma.ListByRelationCreateTimeRequest{
			Since: since, Before: before, QwUserID: qwUserID, Cursor: token, Size: pageSize(size),
		})
		return s.listed(ctx, tanma.PathListByRelationCreateTime, page, err, seen)
	}, "customers:" + qwUserID + "\x00" + since + "\x00" + before
}

// listed is what a list page gives the paginator: its customers, checked
// (a page without its list is an error, never an empty page; items
// without an id are left out and seen hears of them), remembered for
// lookups by id.
func (s *Store) listed(ctx context.Context, endpoint string, page tanma.CustomerPage, err error, seen *problems) ([]tanma.Customer, string, error) {
	if err != nil {
		return nil, "", err
	}
	if page.List == nil {
		return nil, "", s.invalid(endpoint, problemMissingList, "the page has no list")
	}
	items := s.checkItems(ctx, page.List, seen)
	s.remember(ctx, items)
	return items, page.NextCursor, nil
}

func customerKey(c tanma.Customer) string { return c.CustomerID.String() }

// pageSize is the upstream page size for a cursor's size: cursors issued
// before list pages were sized by first carry none, and their pages were
// fetched at the cap.
func pageSize(size int) int {
	if size <= 0 {
		return tanma.MaxPageSize
	}
	return size
}
