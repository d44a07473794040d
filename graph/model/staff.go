package model

import "github.com/tanma-gql/gateway/graph/relay"

// Staff is a staff member, identified by WeChat Work user id.
type Staff struct {
	ID       string
	QwUserID string
}

// NewStaff returns the staff member with the WeChat Work user id.
func NewStaff(qwUserID string) *Staff {
	return &Staff{ID: relay.GlobalID(TypeStaff, qwUserID), QwUserID: qwUserID}
}

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
