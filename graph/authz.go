package graph

import (
	"context"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/auth"
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

// checkOwner refuses, with FORBIDDEN, anything of a staff member whose
// customers the caller may not see (see auth.Caller.StaffIDs).
func checkOwner(ctx context.Context, qwUserID string) error {
	if caller(ctx).MaySee(qwUserID) {
		return nil
	}
	return &apperr.Error{Code: apperr.Forbidden, Message: "this caller may not see this staff member or their customers"}
}

// checkWrite refuses, with FORBIDDEN, a mutation by a caller without the
// write permission (see auth.PermWrite).
func checkWrite(ctx context.Context) error {
	if caller(ctx).Can(auth.PermWrite) {
		return nil
	}
	return &apperr.Error{Code: apperr.Forbidden, Message: "this caller may not write: it needs the write permission"}
}
