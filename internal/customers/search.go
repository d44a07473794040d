package customers

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Search pages through a customer search. Tanma numbers search pages, so
// the page number is the paginator's token: the same paginator and cursors
// as the cursor-paged lists. keep (the caller's visibility rule) leaves out
// a customer the upstream should not have found; withTotal asks for the
// number of customers the whole search finds.
//
// Search pages are read 100 at a time (Tanma's cap: a page number only
// means something with its size) and the rest of each is kept for the
// request that continues there (relay.Leftovers), so a walk costs one call
// per 100 customers whatever its first; the total found with a page is
// kept as long.
func (s *Store) Search(ctx context.Context, f tanma.SearchFilter, args relay.Args, keep func(*tanma.Customer) bool, withTotal bool) (Page, error) {
	req := f.Request()
	scope, _ := json.Marshal(req)
	var last tanma.SearchPage // the last page fetched, for the total
	var lastNo int
	var seen problems
	fetch := func(ctx context.Context, token string, _ int) ([]tanma.Customer, string, error) {
		pageNo, err := pageNumber(token)
		if err != nil {
			return nil, "", err
		}
		q := req
		q.PageNo, q.PageSize = pageNo, tanma.MaxPageSize
		page, err := s.client.SearchCustomers(ctx, q)
		if err == nil {
			err = s.checkSearchPage(page, pageNo)
		}
		if err != nil {
			return nil, "", err
		}
		last, lastNo = page, pageNo
		items := make([]tanma.Customer, 0, len(page.Data))
		for _, it := range page.Data {
			if it.CustomerID <= 0 || keep(&it.Customer) {
				items = append(items, s.fromSearch(ctx, it))
			}
		}
		items = s.checkItems(ctx, items, &seen)
		s.remember(ctx, items)
		next := ""
		if page.HasNext(pageNo) {
			next = strconv.Itoa(pageNo + 1)
		}
		return items, next, nil
	}
	key := "search:" + string(scope)
	page, err := relay.Paginate(ctx, s.cursors, args, PageLimits, key, customerKey, fetch, s.leftovers, s.walks)
	if err != nil || !withTotal {
		return Page{Page: page, Problems: s.ended(seen, page.Ended)}, err
	}
	n, known := s.totals.get(key)
	if lastNo != 0 || !known {
		if n, err = s.client.SearchTotal(ctx, req, last, lastNo); err != nil {
			return Page{}, err
		}
		s.totals.put(key, n)
	}
	return Page{Page: page, Total: &n, Problems: s.ended(seen, page.Ended)}, nil
}

// checkSearchPage refuses a search page outside the documented shape: one
// without its data array, or one with no items where the answer's own
// total or page count says this page has some (a search whose pages ran
// out early would otherwise end as if it had found no more).
func (s *Store) checkSearchPage(page tanma.SearchPage, pageNo int) error {
	if page.Data == nil {
		return s.invalid(tanma.PathSearchCustomers, problemMissingList, "the search page has no data array")
	}
	if len(page.Data) > 0 {
		return nil
	}
	n, counted := page.Count()
	if pageNo < page.TotalPage || counted && n > (pageNo-1)*tanma.MaxPageSize {
		return s.invalid(tanma.PathSearchCustomers, problemEmptyPage,
			fmt.Sprintf("search page %d is empty while the answer says there are more", pageNo))
	}
	return nil
}

func pageNumber(token string) (int, error) {
	if token == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(token)
	if err != nil || n < 1 {
		return 0, apperr.BadInput("invalid cursor: pass a cursor this connection returned")
	}
	return n, nil
}

// searchTotals keeps a search's total for as long as its pages are kept
// (relay.Leftovers), so a walk continued from a kept page asks no call for it.
type searchTotals struct {
	mu      sync.Mutex
	entries map[string]searchTotal
}

type searchTotal struct {
	n  int
	at time.Time
}

// searchTotalTTL matches the look-ahead pages' lifetime.
const searchTotalTTL = 30 * time.Second

func (s *searchTotals) get(key string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok || time.Since(e.at) > searchTotalTTL {
		return 0, false
	}
	return e.n, true
}

func (s *searchTotals) put(key string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries == nil || len(s.entries) >= 1024 {
		s.entries = map[string]searchTotal{} // bounded: start over
	}
	s.entries[key] = searchTotal{n: n, at: time.Now()}
}

// clear forgets every total (a write may have changed any of them).
func (s *searchTotals) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = nil
}

// fromSearch turns a search result into a customer, its values keyed by
// field id named by the field definitions (tanma.SearchItem.CustomerWith).
// Without the definitions those values cannot be named, and only the
// item's fields array is kept.
func (s *Store) fromSearch(ctx context.Context, it tanma.SearchItem) tanma.Customer {
	if len(it.ByFieldID) == 0 || it.CustomerID <= 0 {
		return it.Customer
	}
	set, err := s.fieldSet(ctx)
	if err != nil {
		return it.Customer
	}
	return it.CustomerWith(set.Keys)
}
