package sandbox

import (
	"strings"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// userJSON is a staff member in get-users' wire shape.
//
// Sandbox choice: Tanma documents only salesId of get-users' result; the
// sandbox sends salesId, qwUserId and name, nothing else.
type userJSON struct {
	SalesID  tanma.ID `json:"salesId"`
	QwUserID string   `json:"qwUserId"`
	Name     string   `json:"name"`
}

type usersPageJSON struct {
	PageNo     int        `json:"pageNo"`
	PageSize   int        `json:"pageSize"`
	TotalCount int        `json:"totalCount"`
	Result     []userJSON `json:"result"`
}

// getUsers serves /api/v3/get-users: the staff directory, in directory
// order, numbered pages from 1.
//
// Sandbox choice: pageNo defaults to 1 and pageSize to 100 (the cap, as for
// the customer lists); pageSize outside 1..100 or pageNo < 1 is a validation
// failure. name keeps the staff whose name contains it. deleted defaults to 0
// (current staff); 1 lists former staff (FormerStaff); any other value is a
// validation failure. totalCount, not
// documented upstream, is the number of matches.
func (s *Server) getUsers(body []byte) (any, error) {
	var req struct {
		PageNo   *int    `json:"pageNo"`
		PageSize *int    `json:"pageSize"`
		Deleted  *int    `json:"deleted"`
		Name     *string `json:"name"`
	}
	if a := decodeBody(body, &req); a != nil {
		return nil, a
	}
	pageNo, a := pageNumber(req.PageNo)
	if a != nil {
		return nil, a
	}
	size := tanma.MaxPageSize
	if req.PageSize != nil {
		if *req.PageSize < 1 || *req.PageSize > tanma.MaxPageSize {
			return nil, validation("pageSize必须在1到100之间")
		}
		size = *req.PageSize
	}
	if req.Deleted != nil && *req.Deleted != 0 && *req.Deleted != 1 {
		return nil, validation("deleted只能是0或1")
	}
	var hits []userJSON
	list := s.Data().Staff
	if req.Deleted != nil && *req.Deleted == 1 {
		list = s.Data().Former
	}
	for _, st := range list {
		if req.Name == nil || strings.Contains(st.Name, *req.Name) {
			hits = append(hits, userJSON{SalesID: st.SalesID, QwUserID: st.QwUserID, Name: st.Name})
		}
	}
	start := min((pageNo-1)*size, len(hits))
	end := min(start+size, len(hits))
	return usersPageJSON{PageNo: pageNo, PageSize: size, TotalCount: len(hits), Result: append([]userJSON{}, hits[start:end]...)}, nil
}

// departmentJSON is a department in user-department's wire shape.
type departmentJSON struct {
	DepartmentName string   `json:"departmentName"`
	DepartmentID   tanma.ID `json:"departmentId"`
}

// userDepartments serves /api/v3/contract/user-department.
//
// Sandbox choice: qwUserId wins when both ids are given; salesId 0 counts as
// absent; an unknown staff member has no departments (an empty array, not a
// failure).
func (s *Server) userDepartments(body []byte) (any, error) {
	var req struct {
		QwUserID *string   `json:"qwUserId"`
		SalesID  *tanma.ID `json:"salesId"`
	}
	if a := decodeBody(body, &req); a != nil {
		return nil, a
	}
	byQw := req.QwUserID != nil && *req.QwUserID != ""
	if !byQw && (req.SalesID == nil || *req.SalesID == 0) {
		return nil, validation("qwUserId和salesId不能同时为空")
	}
	out := []departmentJSON{}
	st, ok := s.Data().staffBy(func(st Staff) bool {
		if byQw {
			return st.QwUserID == *req.QwUserID
		}
		return st.SalesID == *req.SalesID
	})
	if ok {
		for _, d := range st.Departments {
			out = append(out, departmentJSON{DepartmentName: d.Name, DepartmentID: d.ID})
		}
	}
	return out, nil
}

// staffBy returns the first staff member matching f.
func (d *Dataset) staffBy(f func(Staff) bool) (Staff, bool) {
	for _, st := range d.Staff {
		if f(st) {
			return st, true
		}
	}
	return Staff{}, false
}
