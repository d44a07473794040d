package graph

import (
	"context"
	"strings"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Bounds of a search filter.
const (
	maxFilterIDs  = 100
	maxSearchText = 100
	// minSearchDigits: a number searched for by a caller without the
	// personal-data permission has at least this many digits, so it cannot
	// be read back from search results a few digits at a time (a masked
	// mobile hides 4 of its 11 digits: any 10 of them hold all 4).
	minSearchDigits = 10
)

// searchCustomers pages through a search. Tanma numbers search pages, so the
// page number is the paginator's token: the same paginator and cursors as
// the cursor-paged lists.
func (r *Resolver) searchCustomers(ctx context.Context, f *model.CustomerFilter, args relay.Args) (*model.CustomerConnection, error) {
	filter, err := r.searchFilter(ctx, f)
	if err != nil {
		return nil, err
	}
	c := caller(ctx)
	if c.Scoped() && len(filter.SalesIDs) == 0 {
		if filter.SalesIDs, err = r.scopeSalesIDs(ctx, c); err != nil {
			return nil, err
		}
		if len(filter.SalesIDs) == 0 {
			zero := 0
			return &model.CustomerConnection{Edges: []model.CustomerEdge{}, PageInfo: &model.PageInfo{}, TotalCount: &zero}, nil
		}
	}
	keep := func(c *tanma.Customer) bool {
		// The upstream already searched only the caller's staff; a
		// customer of anyone else is left out all the same, as is one with
		// no owner for a scoped caller (customer(id) agrees).
		return seesCustomer(ctx, c)
	}
	page, err := r.Customers.Search(ctx, filter, args, keep, wants(ctx, "totalCount"))
	if err != nil {
		return nil, err
	}
	return r.customerConnection(ctx, page), nil
}

// searchFilter checks a filter and resolves it to Tanma's terms: owners
// to salesIds, tags to Tanma tag ids. Unknown owners or tags are
// BAD_USER_INPUT: silently dropping them would widen the search.
func (r *Resolver) searchFilter(ctx context.Context, f *model.CustomerFilter) (tanma.SearchFilter, error) {
	var out tanma.SearchFilter
	if f == nil {
		return out, nil
	}
	for _, ids := range [][]string{f.OwnerIds, f.DepartmentIds, f.TagIds, f.StageIds} {
		if len(ids) > maxFilterIDs {
			return out, apperr.BadInput("a filter takes at most %d ids", maxFilterIDs)
		}
	}
	if f.Text != nil {
		out.Text = strings.TrimSpace(*f.Text)
		if len([]rune(out.Text)) > maxSearchText {
			return out, apperr.BadInput("text is limited to %d characters", maxSearchText)
		}
		if digits, number := model.NumberDigits(out.Text); number && digits < minSearchDigits && !model.SeesPersonal(ctx) {
			// Parts of a number would find a masked number digit by digit.
			return out, apperr.BadInput("text: without the personal-data permission a phone number is searched for whole: give at least %d digits (a mobile number, or a landline with its area code)", minSearchDigits)
		}
	}
	var err error
	if out.SalesIDs, err = r.ownerFilter(ctx, f.OwnerIds); err != nil {
		return out, err
	}
	for i, id := range f.DepartmentIds {
		d, err := tanma.ParseID(strings.TrimSpace(id))
		if err != nil {
			return out, apperr.BadInput("departmentIds[%d] is not a department id", i)
		}
		out.DepartmentIDs = append(out.DepartmentIDs, d)
	}
	if out.TagIDs, err = tagFilter(ctx, f.TagIds); err != nil {
		return out, err
	}
	for _, id := range f.StageIds {
		out.StageIDs = append(out.StageIDs, strings.TrimSpace(id))
	}
	out.Created = tanma.Window{Since: f.CreatedSince, Before: f.CreatedBefore}
	return out, checkWindow(out.Created)
}

// ownerFilter resolves owners (qwUserIds or Staff ids) to salesIds:
// current staff, or staff who left (as staffMember and node know them).
func (r *Resolver) ownerFilter(ctx context.Context, ownerIDs []string) ([]string, error) {
	if len(ownerIDs) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(ownerIDs))
	for i, id := range ownerIDs {
		qw, err := ownerQwUserID(id)
		if err != nil {
			return nil, err
		}
		if err := checkStaff(ctx, qw); err != nil {
			return nil, err
		}
		salesID, ok, err := r.salesIDOf(ctx, qw)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apperr.BadInput("ownerIds[%d]: no staff member has that id", i)
		}
		out = append(out, salesID)
	}
	return out, nil
}

// scopeSalesIDs lists the salesIds of the staff a scoped caller may see,
// those who left included; staff neither directory lists cannot be
// searched by salesId.
func (r *Resolver) scopeSalesIDs(ctx context.Context, c auth.Caller) ([]string, error) {
	var ids []string
	for _, qw := range c.StaffIDs {
		id, ok, err := r.salesIDOf(ctx, qw)
		if err != nil {
			return nil, err
		}
		if ok {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// salesIDOf finds a staff member's salesId among the current staff, else
// among those who left (read only then).
func (r *Resolver) salesIDOf(ctx context.Context, qwUserID string) (string, bool, error) {
	u, _, err := model.LookUpStaff(ctx, r, qwUserID)
	if err != nil || u.QwUserID == "" || u.SalesID == 0 {
		return "", false, err
	}
	return u.SalesID.String(), true, nil
}

// tagFilter resolves tags (Tag ids or WeChat Work tag ids) to Tanma tag ids.
func tagFilter(ctx context.Context, tagIDs []string) ([]tanma.ID, error) {
	if len(tagIDs) == 0 {
		return nil, nil
	}
	lib, err := loaders.For(ctx).Tags(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]tanma.ID, 0, len(tagIDs))
	for i, id := range tagIDs {
		if n, err := tanma.ParseID(strings.TrimSpace(id)); err == nil {
			// Tanma's numeric tag id (Tag.tagId).
			if _, ok := lib.ByID(n); !ok {
				return nil, apperr.BadInput("tagIds[%d]: no tag has that id", i)
			}
			out = append(out, n)
			continue
		}
		if typ, tid, err := relay.ParseGlobalID(id); err == nil && typ == model.TypeTag {
			n, err := tanma.ParseID(tid)
			if _, ok := lib.ByID(n); err != nil || !ok {
				return nil, apperr.BadInput("tagIds[%d]: no tag has that id", i)
			}
			out = append(out, n)
			continue
		}
		t, ok := lib.ByQwTagID(strings.TrimSpace(id))
		if !ok {
			return nil, apperr.BadInput("tagIds[%d]: no tag has that id", i)
		}
		out = append(out, t.ID)
	}
	return out, nil
}
