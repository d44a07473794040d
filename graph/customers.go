package graph

import (
	"context"
	"strings"
	"unicode"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// connectionLimits bound every customer connection: at most one upstream
// page (100, Tanma's page cap) per request.
var connectionLimits = relay.Limits{Default: 20, Max: tanma.MaxPageSize}

// customersOf pages through one staff member's customers. Upstream pages are
// always fetched at the cap, so the Relay cursor's page token and offset stay
// valid whatever `first` the client uses.
func (r *Resolver) customersOf(ctx context.Context, qwUserID string, args relay.Args) (*model.CustomerConnection, error) {
	fetch := func(ctx context.Context, token string) ([]tanma.Customer, string, error) {
		page, err := r.Tanma.ListCustomersByQwUserID(ctx, tanma.ListByQwUserIDRequest{
			QwUserID: qwUserID, Cursor: token, Size: tanma.MaxPageSize,
		})
		return page.List, page.NextCursor, err
	}
	key := func(c tanma.Customer) string { return c.CustomerID.String() }
	page, err := relay.Paginate(ctx, args, connectionLimits, "customers:"+qwUserID, key, fetch, r.lookahead)
	if err != nil {
		return nil, err
	}
	conn := &model.CustomerConnection{
		Edges: make([]model.CustomerEdge, len(page.Edges)),
		PageInfo: &model.PageInfo{
			HasNextPage: page.HasNextPage, HasPreviousPage: page.HasPreviousPage,
			StartCursor: page.StartCursor(), EndCursor: page.EndCursor(),
		},
	}
	for i, e := range page.Edges {
		conn.Edges[i] = model.CustomerEdge{Cursor: e.Cursor, Node: model.NewCustomer(e.Node)}
	}
	return conn, nil
}

// ownerQwUserID accepts a WeChat Work user id or a Staff global id.
func ownerQwUserID(ownerID string) (string, error) {
	if typ, id, err := relay.ParseGlobalID(ownerID); err == nil {
		if typ != model.TypeStaff {
			return "", apperr.BadInput("ownerId must be a staff member's qwUserId or a Staff id, got a %s id", typ)
		}
		return id, nil
	}
	return checkQwUserID(ownerID)
}

// checkQwUserID rejects what cannot be a WeChat Work user id.
func checkQwUserID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", apperr.BadInput("ownerId must be a WeChat Work user id (qwUserId, 1 to 64 characters) or a Staff id")
	}
	return s, nil
}

func pageArgs(first *int, after *string, last *int, before *string) relay.Args {
	return relay.Args{First: first, After: after, Last: last, Before: before}
}

// customerByID fetches one customer through the search endpoint, the only
// upstream read that takes a customer id. Unknown ids are NOT_FOUND.
func (r *Resolver) customerByID(ctx context.Context, id string) (*model.Customer, error) {
	cid, err := tanma.ParseID(id)
	if err != nil {
		return nil, apperr.BadInput("malformed customer id: Tanma customer ids are positive integers")
	}
	page, err := r.Tanma.SearchCustomers(ctx, tanma.SearchRequest{CustomerID: cid, PageNo: 1, PageSize: 1})
	if err != nil {
		return nil, err
	}
	for _, it := range page.Data {
		if it.CustomerID == cid {
			return model.NewCustomer(it.Customer), nil
		}
	}
	return nil, apperr.NotFoundf("no customer has id %s", id)
}
