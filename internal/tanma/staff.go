package tanma

import "context"

// User is a staff member as get-users lists them. Tanma documents only
// salesId; qwUserId and name are what the gateway needs and reads.
type User struct {
	SalesID  ID     `json:"salesId"`  // Tanma's numeric staff id
	QwUserID string `json:"qwUserId"` // WeChat Work user id
	Name     string `json:"name"`
}

// UsersRequest is the body of get-users. Pages are numbered from 1.
type UsersRequest struct {
	PageNo   int    `json:"pageNo"`
	PageSize int    `json:"pageSize"`
	Deleted  int    `json:"deleted"` // 0: staff still employed
	Name     string `json:"name,omitempty"`
}

// UsersPage is one page of get-users. TotalCount is nil when the upstream
// does not send it (it is not documented).
type UsersPage struct {
	PageNo     int    `json:"pageNo"`
	PageSize   int    `json:"pageSize"`
	TotalCount *int   `json:"totalCount"`
	Result     []User `json:"result"`
}

// PathGetUsers searches the staff directory.
const PathGetUsers = "/api/v3/get-users"

// GetUsers returns one page of the staff directory: POST /api/v3/get-users.
func (c *Client) GetUsers(ctx context.Context, req UsersRequest) (UsersPage, error) {
	page, err := read[UsersPage](ctx, c, PathGetUsers, req)
	if err == nil && page.Result == nil {
		return page, Invalid(PathGetUsers, "the page has no result array")
	}
	return page, err
}

// Department is a WeChat Work department a staff member belongs to.
type Department struct {
	DepartmentID   ID     `json:"departmentId"`
	DepartmentName string `json:"departmentName"`
}

// UserDepartmentsRequest names the staff member by either id.
type UserDepartmentsRequest struct {
	QwUserID string `json:"qwUserId,omitempty"`
	SalesID  ID     `json:"salesId,omitempty"`
}

// PathUserDepartments lists a staff member's departments.
const PathUserDepartments = "/api/v3/contract/user-department"

// UserDepartments returns the departments of one staff member:
// POST /api/v3/contract/user-department.
func (c *Client) UserDepartments(ctx context.Context, req UserDepartmentsRequest) ([]Department, error) {
	depts, err := read[[]Department](ctx, c, PathUserDepartments, req)
	if err == nil && depts == nil {
		return nil, Invalid(PathUserDepartments, "the answer has no array of departments")
	}
	return depts, err
}
