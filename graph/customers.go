package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"strings"
	"unicode"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/customers"
	"github.com/tanma-gql/gateway/internal/requestlog"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// customersOf pages through one staff member's customers: the whole list,
// or with a time window the relation-create-time list.
func (r *Resolver) customersOf(ctx context.Context, qwUserID string, w tanma.Window, args relay.Args) (*model.CustomerConnection, error) {
	if err := checkStaff(ctx, qwUserID); err != nil {
		return nil, err
	}
	if err := checkWindow(w); err != nil {
		return nil, err
	}
	page, err := r.Customers.Owned(ctx, qwUserID, w, args)
	if err != nil {
		return nil, err
	}
	return r.customerConnection(ctx, page), nil
}

// customerConnection maps a page of customers. A customer the caller may
// not see is never returned, whatever the list (the staff scope holds by
// construction, not by the upstream listing only what was asked): it is
// dropped, and the log says so.
func (r *Resolver) customerConnection(ctx context.Context, page customers.Page) *model.CustomerConnection {
	reportAll(ctx, page.Problems)
	conn := &model.CustomerConnection{Edges: make([]model.CustomerEdge, 0, len(page.Edges)), PageInfo: pageInfo(page.Page), TotalCount: page.Total}
	set := fieldSet(ctx)
	for _, e := range page.Edges {
		if !seesCustomer(ctx, &e.Node) {
			r.Log.WarnContext(ctx, "the upstream listed a customer outside the caller's staff scope: not returned",
				"request_id", requestlog.RequestID(ctx))
			continue
		}
		c := model.NewCustomer(ctx, e.Node, set, r)
		if len(c.Problems) > 0 {
			r.reportEdge(ctx, len(conn.Edges), c)
		}
		conn.Edges = append(conn.Edges, model.CustomerEdge{Cursor: e.Cursor, Node: c})
	}
	return conn
}

// reportEdge shows the problems of the customer at edges[i].node of the
// connection at ctx's path, where the query selects them.
func (r *Resolver) reportEdge(ctx context.Context, i int, c *model.Customer) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return
	}
	edges, node, sel, ok := nodeSelection(ctx, fc.Field.Selections, "CustomerConnection", "CustomerEdge")
	if ok {
		reportProblems(edgeNodePath(ctx, edges, i, node), sel, c.Problems)
	}
}

// checkWindow refuses a creation-time window that ends before it starts.
func checkWindow(w tanma.Window) error {
	if w.Inverted() {
		return apperr.BadInput("createdSince must not be after createdBefore")
	}
	return nil
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

// customerByID loads one customer through the request's customer loader.
// Unknown ids are NOT_FOUND.
func (r *Resolver) customerByID(ctx context.Context, id string) (*model.Customer, error) {
	return r.startCustomer(ctx, id)()
}

// startCustomer asks the loader for a customer and returns the function that
// waits for it, so several lookups can share one batch.
func (r *Resolver) startCustomer(ctx context.Context, id string) func() (*model.Customer, error) {
	cid, err := tanma.ParseID(id)
	if err != nil {
		return func() (*model.Customer, error) {
			return nil, apperr.BadInput("malformed customer id: Tanma customer ids are positive integers")
		}
	}
	thunk := r.Customers.ByID(ctx, cid)
	return func() (*model.Customer, error) {
		c, err := thunk()
		if err != nil {
			return nil, err
		}
		if err := checkCustomer(ctx, c); err != nil {
			return nil, err
		}
		return r.mapCustomer(ctx, *c, selection(ctx)), nil
	}
}

// customerByAnyID accepts a Customer global id or a bare Tanma customer id.
func (r *Resolver) customerByAnyID(ctx context.Context, id string) (*model.Customer, error) {
	cid, err := parseCustomerID(id)
	if err != nil {
		return nil, err
	}
	return r.customerByID(ctx, cid.String())
}

// parseCustomerID reads a Customer global id or a bare Tanma customer id.
func parseCustomerID(id string) (tanma.ID, error) {
	id = strings.TrimSpace(id)
	if cid, err := tanma.ParseID(id); err == nil {
		return cid, nil
	}
	typ, upstream, err := relay.ParseGlobalID(id)
	if err != nil {
		return 0, apperr.BadInput("malformed id: pass a Customer id or a Tanma customer id")
	}
	if typ != model.TypeCustomer {
		return 0, apperr.BadInput("id must be a Customer id or a Tanma customer id, got a %s id", typ)
	}
	cid, err := tanma.ParseID(upstream)
	if err != nil {
		return 0, apperr.BadInput("malformed customer id: Tanma customer ids are positive integers")
	}
	return cid, nil
}

// reportAll adds each error at the current field without failing it: what
// the upstream sent outside its documented shape and was left out.
func reportAll(ctx context.Context, errs []error) {
	for _, err := range errs {
		graphql.AddError(ctx, err)
	}
}
