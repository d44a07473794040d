package graph

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Search condition codes. Tanma's search page shows them in its example
// (tags with op 6, a select field with op 2) without a table of their meaning.
const (
	condAnd       = 1
	opSelectAny   = 2 // the field's value is one of values (option ids)
	opHasAnyTag   = 6 // the customer has one of the tags (Tanma tag ids)
	condTagIDs    = "tagIds"
	maxFilterIDs  = 100
	maxSearchText = 100
)

// searchCustomers pages through a search. Tanma numbers search pages, so the
// page number is the paginator's token: the same paginator and cursors as
// the cursor-paged lists.
func (r *Resolver) searchCustomers(ctx context.Context, f *model.CustomerFilter, args relay.Args) (*model.CustomerConnection, error) {
	req, err := searchRequest(ctx, f)
	if err != nil {
		return nil, err
	}
	c := caller(ctx)
	if c.Scoped() && len(req.SalesIDList) == 0 {
		if req.SalesIDList, err = scopeSalesIDs(ctx, c); err != nil {
			return nil, err
		}
		if len(req.SalesIDList) == 0 {
			zero := 0
			return &model.CustomerConnection{Edges: []model.CustomerEdge{}, PageInfo: &model.PageInfo{}, TotalCount: &zero}, nil
		}
	}
	scope, _ := json.Marshal(req)
	var last tanma.SearchPage // the last page fetched, for totalCount
	var lastNo int
	l := loaders.For(ctx)
	fetch := func(ctx context.Context, token string, _ int) ([]tanma.Customer, string, error) {
		pageNo, err := pageNumber(token)
		if err != nil {
			return nil, "", err
		}
		q := req
		q.PageNo, q.PageSize = pageNo, tanma.MaxPageSize
		page, err := r.Tanma.SearchCustomers(ctx, q)
		if err != nil {
			return nil, "", err
		}
		last, lastNo = page, pageNo
		items := make([]tanma.Customer, 0, len(page.Data))
		for _, it := range page.Data {
			// The upstream already searched only the caller's staff; a
			// customer of anyone else is dropped all the same, as is one
			// with no owner for a scoped caller (customer(id) agrees).
			if seesCustomer(ctx, &it.Customer) {
				items = append(items, l.FromSearch(ctx, it))
			}
		}
		next := ""
		if pageNo < page.TotalPage || (page.TotalPage == 0 && len(page.Data) == tanma.MaxPageSize) {
			next = strconv.Itoa(pageNo + 1)
		}
		return items, next, nil
	}
	// The rest of a 100-item page is kept for the request that continues
	// there (relay.Stash), so a walk costs one call per 100 customers
	// whatever its first; the total found with a page is kept as long.
	key := "search:" + string(scope)
	page, err := relay.Paginate(ctx, r.cursors, args, connectionLimits, key, customerKey, fetch, r.lookahead)
	if err != nil {
		return nil, err
	}
	conn := r.customerConnection(ctx, page)
	if wants(ctx, "totalCount") {
		n, known := r.searchTotals.get(key)
		if lastNo != 0 || !known {
			if n, err = r.searchTotal(ctx, req, last, lastNo); err != nil {
				return nil, err
			}
			r.searchTotals.put(key, n)
		}
		conn.TotalCount = &n
	}
	return conn, nil
}

// searchTotal is the number of matches: stated by the answer, or counted
// from the last page (one more call unless that page was just fetched).
// lastNo is 0 when the page needed no fetch (a cursor at the very end).
func (r *Resolver) searchTotal(ctx context.Context, req tanma.SearchRequest, last tanma.SearchPage, lastNo int) (int, error) {
	if lastNo == 0 {
		req.PageNo, req.PageSize, lastNo = 1, tanma.MaxPageSize, 1
		var err error
		if last, err = r.Tanma.SearchCustomers(ctx, req); err != nil {
			return 0, err
		}
	}
	if n, ok := last.Count(); ok {
		return n, nil
	}
	if last.TotalPage == 0 {
		return 0, nil
	}
	if lastNo != last.TotalPage {
		req.PageNo, req.PageSize = last.TotalPage, tanma.MaxPageSize
		var err error
		if last, err = r.Tanma.SearchCustomers(ctx, req); err != nil {
			return 0, err
		}
	}
	return (last.TotalPage-1)*tanma.MaxPageSize + len(last.Data), nil
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

// searchRequest turns a filter into Tanma's search body, resolving owners
// to salesIds and tags to Tanma tag ids. Unknown owners or tags are
// BAD_USER_INPUT: silently dropping them would widen the search.
func searchRequest(ctx context.Context, f *model.CustomerFilter) (tanma.SearchRequest, error) {
	req := tanma.SearchRequest{Conditions: &tanma.Conditions{ConditionOp: condAnd, ConditionItems: []tanma.ConditionItem{}}}
	if f == nil {
		return req, nil
	}
	for _, ids := range [][]string{f.OwnerIds, f.DepartmentIds, f.TagIds, f.StageIds} {
		if len(ids) > maxFilterIDs {
			return req, apperr.BadInput("a filter takes at most %d ids", maxFilterIDs)
		}
	}
	if f.Text != nil {
		req.SearchKey = strings.TrimSpace(*f.Text)
		if len([]rune(req.SearchKey)) > maxSearchText {
			return req, apperr.BadInput("text is limited to %d characters", maxSearchText)
		}
	}
	if err := ownerFilter(ctx, f.OwnerIds, &req); err != nil {
		return req, err
	}
	for i, id := range f.DepartmentIds {
		d, err := tanma.ParseID(strings.TrimSpace(id))
		if err != nil {
			return req, apperr.BadInput("departmentIds[%d] is not a department id", i)
		}
		req.DepartmentIDList = append(req.DepartmentIDList, d.String())
	}
	if err := tagFilter(ctx, f.TagIds, &req); err != nil {
		return req, err
	}
	if len(f.StageIds) > 0 {
		req.Conditions.ConditionItems = append(req.Conditions.ConditionItems,
			tanma.ConditionItem{Name: tanma.KeyStage, Op: opSelectAny, Values: optionValues(f.StageIds)})
	}
	if w := (window{f.CreatedSince, f.CreatedBefore}); w.since != nil || w.before != nil {
		if err := w.check(); err != nil {
			return req, err
		}
		req.CreateTime = &tanma.TimeRange{}
		if w.since != nil {
			req.CreateTime.Start = chinaSecond(*w.since)
		}
		if w.before != nil {
			// Tanma's end is inclusive ("23:59:59" in its example); ours is exclusive.
			end, _ := time.ParseInLocation(tanma.DateTimeLayout, chinaSecond(*w.before), tanma.Shanghai)
			req.CreateTime.End = end.Add(-time.Second).Format(tanma.DateTimeLayout)
		}
	}
	return req, nil
}

func ownerFilter(ctx context.Context, ownerIDs []string, req *tanma.SearchRequest) error {
	if len(ownerIDs) == 0 {
		return nil
	}
	dir, err := loaders.For(ctx).Staff(ctx)
	if err != nil {
		return err
	}
	for i, id := range ownerIDs {
		qw, err := ownerQwUserID(id)
		if err != nil {
			return err
		}
		if err := checkStaff(ctx, qw); err != nil {
			return err
		}
		u, ok := dir.ByQwUserID(qw)
		if !ok {
			return apperr.BadInput("ownerIds[%d]: no staff member has that id", i)
		}
		req.SalesIDList = append(req.SalesIDList, u.SalesID.String())
	}
	return nil
}

// scopeSalesIDs lists the salesIds of the staff a scoped caller may see;
// staff the directory does not list cannot be searched by salesId.
func scopeSalesIDs(ctx context.Context, c auth.Caller) ([]string, error) {
	dir, err := loaders.For(ctx).Staff(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, qw := range c.StaffIDs {
		if u, ok := dir.ByQwUserID(qw); ok {
			ids = append(ids, u.SalesID.String())
		}
	}
	return ids, nil
}

func tagFilter(ctx context.Context, tagIDs []string, req *tanma.SearchRequest) error {
	if len(tagIDs) == 0 {
		return nil
	}
	lib, err := loaders.For(ctx).Tags(ctx)
	if err != nil {
		return err
	}
	values := make([]any, 0, len(tagIDs))
	for i, id := range tagIDs {
		if typ, tid, err := relay.ParseGlobalID(id); err == nil && typ == model.TypeTag {
			n, err := tanma.ParseID(tid)
			if _, ok := lib.ByID(n); err != nil || !ok {
				return apperr.BadInput("tagIds[%d]: no tag has that id", i)
			}
			values = append(values, n)
			continue
		}
		t, ok := lib.ByQwTagID(strings.TrimSpace(id))
		if !ok {
			return apperr.BadInput("tagIds[%d]: no tag has that id", i)
		}
		values = append(values, t.ID)
	}
	req.Conditions.ConditionItems = append(req.Conditions.ConditionItems,
		tanma.ConditionItem{Name: condTagIDs, Op: opHasAnyTag, Values: values})
	return nil
}

// optionValues sends numeric option ids as JSON numbers, as Tanma's example
// does, and any other id as a string.
func optionValues(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		id = strings.TrimSpace(id)
		if n, err := tanma.ParseID(id); err == nil {
			out[i] = n
		} else {
			out[i] = id
		}
	}
	return out
}

// searchTotals keeps a search's total for as long as its pages are kept
// (relay.Stash), so a walk continued from a kept page asks no call for it.
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
