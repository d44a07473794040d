package sandbox_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// staffDepartments returns a staff member's departments as the dataset has
// them, in the client's shape.
func staffDepartments(t testing.TB, d *sandbox.Dataset, qwUserID string) (tanma.ID, []tanma.Department) {
	t.Helper()
	for _, st := range d.Staff {
		if st.QwUserID == qwUserID {
			out := []tanma.Department{}
			for _, dep := range st.Departments {
				out = append(out, tanma.Department{DepartmentID: dep.ID, DepartmentName: dep.Name})
			}
			return st.SalesID, out
		}
	}
	t.Fatalf("no staff member %q", qwUserID)
	return 0, nil
}

// TestUserDepartmentShape checks the answer's keys, order and types.
func TestUserDepartmentShape(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	depts := epArray(t, "data", epOrderedData(t, sb, epPathUserDepts, `{"qwUserId":"dowen"}`))
	if len(depts) != 2 {
		t.Fatalf("dowen has %d departments, want 2", len(depts))
	}
	for i, d := range depts {
		what := fmt.Sprintf("data[%d]", i)
		obj := epObject(t, what, d, "departmentName", "departmentId")
		epString(t, what+".departmentName", epMember(obj, "departmentName"))
		epInteger(t, what+".departmentId", epMember(obj, "departmentId"))
	}
}

// TestUserDepartmentLookups checks both ways of naming the staff member.
func TestUserDepartmentLookups(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	dowenSales, dowen := staffDepartments(t, sb.Data(), "dowen")
	chenSales, chen := staffDepartments(t, sb.Data(), "chenjing")
	tests := []struct {
		name string
		body string
		want []tanma.Department
	}{
		{name: "by qwUserId", body: `{"qwUserId":"dowen"}`, want: dowen},
		{name: "documented departments of dowen", body: `{"qwUserId":"dowen"}`,
			want: []tanma.Department{{DepartmentID: 1, DepartmentName: "销售一部"}, {DepartmentID: 4, DepartmentName: "华南区"}}},
		{name: "by salesId number", body: fmt.Sprintf(`{"salesId":%d}`, dowenSales), want: dowen},
		{name: "by salesId string", body: fmt.Sprintf(`{"salesId":"%d"}`, chenSales), want: chen},
		{name: "qwUserId wins over salesId", body: fmt.Sprintf(`{"qwUserId":"dowen","salesId":%d}`, chenSales), want: dowen},
		{name: "empty qwUserId falls back to salesId", body: fmt.Sprintf(`{"qwUserId":"","salesId":%d}`, chenSales), want: chen},
		{name: "unknown qwUserId: none", body: `{"qwUserId":"nobody"}`, want: []tanma.Department{}},
		{name: "unknown salesId: none", body: `{"salesId":1}`, want: []tanma.Department{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []tanma.Department
			epData(t, sb, epPathUserDepts, tt.body, &got)
			if got == nil || !slices.Equal(got, tt.want) {
				t.Errorf("departments %v, want %v", got, tt.want)
			}
		})
	}
}

// TestUserDepartmentEveryone checks every staff member both ways against
// the dataset.
func TestUserDepartmentEveryone(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	for _, st := range sb.Data().Staff {
		sales, want := staffDepartments(t, sb.Data(), st.QwUserID)
		if len(want) == 0 {
			t.Errorf("%s has no department", st.QwUserID)
		}
		for _, body := range []string{fmt.Sprintf(`{"qwUserId":%q}`, st.QwUserID), fmt.Sprintf(`{"salesId":%d}`, sales)} {
			var got []tanma.Department
			epData(t, sb, epPathUserDepts, body, &got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: departments %v, want %v", body, got, want)
			}
		}
	}
}

// TestUserDepartmentValidation checks that bad parameters are validation
// failures, never 500s.
func TestUserDepartmentValidation(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		body string
	}{
		{name: "neither id", body: `{}`},
		{name: "empty qwUserId", body: `{"qwUserId":""}`},
		{name: "salesId 0", body: `{"salesId":0}`},
		{name: "both empty", body: `{"qwUserId":"","salesId":0}`},
		{name: "salesId not a number", body: `{"salesId":"abc"}`},
		{name: "qwUserId not a string", body: `{"qwUserId":7}`},
		{name: "malformed", body: `{"qwUserId":`},
		{name: "no body", body: ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			validationFailure(t, post(sb, epPathUserDepts, tt.body))
		})
	}
}
