package graph

import (
	"context"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/customers"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// The visibility gate: the one place that decides what a caller may see and
// write. A caller scoped to some staff members (auth.Caller.StaffIDs) sees
// those staff members and their customers, and nothing else: every
// resolver that returns a customer, a staff member or a customer's data
// asks here, whatever the upstream answered, and a refusal is one of the
// errors below. internal/server's TestEveryRouteToACustomerIsGated walks
// the schema for every field that can lead to a customer and tries each as
// a scoped caller.
var (
	// errCustomerHidden is exactly what a missing customer answers: a
	// scoped caller learns nothing of another staff member's customers,
	// not even that the id exists (no oracle).
	errCustomerHidden = customers.ErrNotFound
	errStaffHidden    = &apperr.Error{Code: apperr.Forbidden, Message: "this caller may not see this staff member or their customers"}
	errReadOnly       = &apperr.Error{Code: apperr.Forbidden, Message: "this caller may not write: it needs the write permission"}
	errOutOfScope     = &apperr.Error{Code: apperr.Forbidden, Message: "this caller may not hand customers to a staff member outside its scope"}
)

// caller returns the request's caller. A request that did not come through
// the auth middleware has no caller and may see nothing: fail closed.
func caller(ctx context.Context) auth.Caller {
	c, ok := auth.FromContext(ctx)
	if !ok {
		return auth.Caller{StaffIDs: []string{}}
	}
	return c
}

// seesStaff reports whether the caller may see the staff member and their
// customers.
func seesStaff(ctx context.Context, qwUserID string) bool { return caller(ctx).MaySee(qwUserID) }

// checkStaff is seesStaff as an error: FORBIDDEN when the caller may not.
func checkStaff(ctx context.Context, qwUserID string) error {
	if seesStaff(ctx, qwUserID) {
		return nil
	}
	return errStaffHidden
}

// seesCustomer reports whether the caller may see the customer: whether it
// may see its owner (a customer without an owner, a new lead, only
// unscoped callers see).
func seesCustomer(ctx context.Context, c *tanma.Customer) bool { return seesStaff(ctx, ownerOf(c)) }

// checkCustomer is seesCustomer as an error: NOT_FOUND as for an id Tanma
// does not know, and nothing of the customer leaves (not its owner, not
// its fields).
func checkCustomer(ctx context.Context, c *tanma.Customer) error {
	if seesCustomer(ctx, c) {
		return nil
	}
	return errCustomerHidden
}

// checkWrite refuses a mutation by a caller without the write permission
// (auth.PermWrite); what it may write is then what it may see.
func checkWrite(ctx context.Context) error {
	if caller(ctx).Can(auth.PermWrite) {
		return nil
	}
	return errReadOnly
}

// ownerOf is the customer's owner's WeChat Work user id ("" for none).
func ownerOf(c *tanma.Customer) string {
	if c.QwUserID == nil {
		return ""
	}
	return *c.QwUserID
}
