package model

import (
	"context"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Staff is a staff member, identified by WeChat Work user id. Its name and
// salesId come from the request's staff directory; its departments and
// customers are resolvers (upstream calls).
type Staff struct {
	ID       string
	QwUserID string

	ref Reference // the request's reference data
}

// NewStaff returns the staff member with the WeChat Work user id, named
// from ref's directory.
func NewStaff(qwUserID string, ref Reference) *Staff {
	return &Staff{ID: relay.GlobalID(TypeStaff, qwUserID), QwUserID: qwUserID, ref: ref}
}

// Name is the directory's name for the staff member, null when unlisted.
func (s *Staff) Name(ctx context.Context) (*string, error) {
	u, ok, err := s.entry(ctx)
	if err != nil || !ok || u.Name == "" {
		return nil, err
	}
	return &u.Name, nil
}

// SalesID is the directory's salesId for the staff member, null when
// unlisted.
func (s *Staff) SalesID(ctx context.Context) (*string, error) {
	u, ok, err := s.entry(ctx)
	if err != nil || !ok || u.SalesID == 0 {
		return nil, err
	}
	id := u.SalesID.String()
	return &id, nil
}

// Former reports a staff member who left: not in the directory of
// current staff, in that of former staff.
func (s *Staff) Former(ctx context.Context) (bool, error) {
	_, former, err := LookUpStaff(ctx, s.ref, s.QwUserID)
	return former, err
}

// entry finds the staff member in the request's directories.
func (s *Staff) entry(ctx context.Context) (tanma.User, bool, error) {
	u, _, err := LookUpStaff(ctx, s.ref, s.QwUserID)
	return u, u.QwUserID != "", err
}

// LookUpStaff finds a staff member among the current staff, else among
// those who left (read only then); the zero User when neither lists them,
// and ErrStaffUnreadable when either directory left out entries it could
// not read (the staff member may be one of them).
func LookUpStaff(ctx context.Context, ref Reference, qwUserID string) (u tanma.User, former bool, err error) {
	dir, err := ref.Directory(ctx)
	if err != nil {
		return tanma.User{}, false, err
	}
	if u, ok := dir.ByQwUserID(qwUserID); ok {
		return u, false, nil
	}
	left, err := ref.FormerStaff(ctx)
	if err != nil {
		return tanma.User{}, false, err
	}
	u, ok := left.ByQwUserID(qwUserID)
	if !ok && dir.LeftOut+left.LeftOut > 0 {
		return tanma.User{}, false, ErrStaffUnreadable
	}
	return u, ok, nil
}

// ErrStaffUnreadable answers a staff member neither directory lists when
// Tanma listed entries the gateway could not read (no qwUserId, null).
var ErrStaffUnreadable = &apperr.Error{Code: apperr.UpstreamInvalid,
	Message: "Tanma's staff directory lists entries without a qwUserId: this staff member may be one of them"}

// Type names used in global ids: the Node types, and TagGroup, which has a
// global id without being a Node.
const (
	TypeCustomer = "Customer"
	TypeStaff    = "Staff"
	TypeTag      = "Tag"
	TypeTagGroup = "TagGroup"
)

// IsNode marks Staff as a Node.
func (Staff) IsNode() {}

// GetID returns the global id.
func (s Staff) GetID() string { return s.ID }
