package graph_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestStaffDirectoryWalk pages through the directory and checks it against
// the sandbox's staff, with names, salesIds and departments.
func TestStaffDirectoryWalk(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	type page struct {
		Staff struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					QwUserID, Name, SalesID string
					Departments             []struct{ DepartmentID, Name string }
				}
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
	var got []string
	var after *string
	staff := e.sb.Data().Staff
	for range 10 {
		var r page
		e.mustDo(t, `query($after: String) { staff(first: 10, after: $after) { totalCount
			edges { node { qwUserId name salesId departments { departmentId name } } }
			pageInfo { hasNextPage endCursor } } }`, &r, client.Var("after", after))
		assert.Equal(t, len(staff), r.Staff.TotalCount)
		for _, edge := range r.Staff.Edges {
			st := staff[len(got)]
			assert.Equal(t, st.QwUserID, edge.Node.QwUserID)
			assert.Equal(t, st.Name, edge.Node.Name)
			assert.Equal(t, st.SalesID.String(), edge.Node.SalesID)
			require.Len(t, edge.Node.Departments, len(st.Departments))
			for i, d := range st.Departments {
				assert.Equal(t, d.Name, edge.Node.Departments[i].Name)
			}
			got = append(got, edge.Node.QwUserID)
		}
		if !r.Staff.PageInfo.HasNextPage {
			break
		}
		after = r.Staff.PageInfo.EndCursor
	}
	assert.Len(t, got, len(staff))
	// The directory is one get-users call (24 staff < one page); departments
	// cost one call per staff member, cached across requests.
	assert.Equal(t, int64(1), e.sb.Calls(tanma.PathGetUsers))
	assert.Equal(t, int64(len(staff)), e.sb.Calls(tanma.PathUserDepartments))
}

func TestStaffNameFilter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Staff struct {
			TotalCount int
			Edges      []struct{ Node struct{ Name string } }
		}
	}
	e.mustDo(t, `{ staff(name: "刘") { totalCount edges { node { name } } } }`, &r)
	var want []string
	for _, st := range e.sb.Data().Staff {
		if strings.Contains(st.Name, "刘") {
			want = append(want, st.Name)
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, len(want), r.Staff.TotalCount)
	for i, edge := range r.Staff.Edges {
		assert.Equal(t, want[i], edge.Node.Name)
	}
}

// TestUnlistedStaff: node answers NOT_FOUND for a staff member the
// directory does not list, while staffMember still reaches their customers
// (former staff) with a null name.
func TestUnlistedStaff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	errs := e.do(t, `{ node(id: "U3RhZmY6bm9ib2R5") { id } }`, nil) // Staff:nobody
	require.Len(t, errs, 1)
	assert.Equal(t, []string{"NOT_FOUND"}, codes(errs))
	var r struct {
		StaffMember struct {
			Name      *string
			Customers struct{ Edges []struct{ Cursor string } }
		}
	}
	e.mustDo(t, `{ staffMember(qwUserId: "nobody") { name customers { edges { cursor } } } }`, &r)
	assert.Nil(t, r.StaffMember.Name)
	assert.Empty(t, r.StaffMember.Customers.Edges)
}

func TestOwnerHasDirectoryName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Customer struct {
			Owner struct{ QwUserID, Name, SalesID string }
		}
	}
	e.mustDo(t, `{ customer(id: "Q3VzdG9tZXI6Mzk4NjA0MTIwNjY4MjI0") { owner { qwUserId name salesId } } }`, &r)
	assert.Equal(t, "dowen", r.Customer.Owner.QwUserID)
	assert.Equal(t, e.sb.Data().Staff[0].Name, r.Customer.Owner.Name)
}

// TestFormerStaffAreResolved: a staff member who left (Tanma lists them
// with deleted: 1) keeps a name where records name them (a follow-up's
// author, staffMember), is marked former, has no departments, and the id
// returned for them refetches with node; the staff list holds current
// staff only.
func TestFormerStaffAreResolved(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Customer struct {
			FollowUps struct {
				Edges []struct {
					Node struct {
						Author *struct {
							ID, QwUserID string
							Name         *string
							Former       bool
						}
					}
				}
			}
		}
		StaffMember struct {
			Name        *string
			Former      bool
			Departments []struct{ Name string }
		}
		Staff struct {
			Edges []struct{ Node struct{ QwUserID string } }
		}
	}
	e.mustDo(t, `{ customer(id: "`+sandbox.SeedCustomerID.String()+`") { followUps(first: 20) { edges { node { author { id qwUserId name former } } } } }
		staffMember(qwUserId: "`+sandbox.FormerStaff.QwUserID+`") { name former departments { name } }
		staff(first: 100) { edges { node { qwUserId } } } }`, &r)
	var gid string
	for _, edge := range r.Customer.FollowUps.Edges {
		if a := edge.Node.Author; a != nil && a.QwUserID == sandbox.FormerStaff.QwUserID {
			require.NotNil(t, a.Name)
			assert.Equal(t, sandbox.FormerStaff.Name, *a.Name)
			assert.True(t, a.Former)
			gid = a.ID
		} else if a != nil {
			assert.False(t, a.Former)
		}
	}
	require.NotEmpty(t, gid, "a follow-up of the seed customer is by the former staff member")
	require.NotNil(t, r.StaffMember.Name)
	assert.Equal(t, sandbox.FormerStaff.Name, *r.StaffMember.Name)
	assert.True(t, r.StaffMember.Former)
	assert.Empty(t, r.StaffMember.Departments)
	for _, edge := range r.Staff.Edges {
		assert.NotEqual(t, sandbox.FormerStaff.QwUserID, edge.Node.QwUserID, "the staff list is of current staff")
	}

	var n struct{ Node struct{ QwUserID string } }
	e.mustDo(t, `query($id: ID!) { node(id: $id) { ... on Staff { qwUserId } } }`, &n, client.Var("id", gid))
	assert.Equal(t, sandbox.FormerStaff.QwUserID, n.Node.QwUserID, "every returned id refetches")
}
