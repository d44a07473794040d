package tanma_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestEndpointListFields reads the field definitions: option ids keep their
// exact decimal text, system fields name their key, custom ones do not.
func TestEndpointListFields(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)

	defs, err := c.ListFields(t.Context())
	require.NoError(t, err)

	require.Len(t, defs, len(sb.Data().Fields))
	byName := map[string]tanma.FieldDef{}
	for _, d := range defs {
		byName[d.Name] = d
	}
	stage := byName["客户阶段"]
	assert.Equal(t, tanma.FieldSelect, stage.Type)
	assert.True(t, stage.Stable)
	assert.Nil(t, stage.OuterField, "null, as in Tanma's example")
	assert.False(t, byName["生日"].Stable, "as in Tanma's example")
	assert.False(t, byName["购买意向"].Stable)
	require.NotEmpty(t, stage.Items)
	assert.Equal(t, tanma.FieldItem{ID: "396823724189760", Name: "初步接触"}, stage.Items[0])

	assert.Equal(t, []tanma.FieldItem{{ID: "0", Name: "其它"}, {ID: "1", Name: "男"}, {ID: "2", Name: "女"}}, byName["性别"].Items)
	assert.True(t, byName["姓名"].CustomerImportRequired)
	assert.Nil(t, byName["电话"].Items, "no items for a phone field")

	level := byName["客户级别"]
	assert.False(t, level.Stable)
	assert.Nil(t, level.OuterField, "custom fields have no outerField")
	assert.Equal(t, tanma.ID(133171), level.ID)
	assert.Equal(t, tanma.Text("133171001"), level.Items[0].ID)
	assert.Equal(t, int64(1), sb.Calls(tanma.PathListFields))
}

// TestEndpointListTagTree reads the whole library in one call with no body.
func TestEndpointListTagTree(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)

	groups, err := c.ListTagTree(t.Context())
	require.NoError(t, err)

	want := sb.Data().TagGroups
	require.Len(t, groups, len(want))
	for i, g := range groups {
		assert.Equal(t, want[i].ID, g.ID)
		assert.Equal(t, want[i].Name, g.Name)
		assert.Equal(t, want[i].QwTagID, g.QwTagID)
		require.Len(t, g.Tags, len(want[i].Tags))
		for j, tg := range g.Tags {
			assert.Equal(t, tanma.Tag{ID: want[i].Tags[j].ID, Name: want[i].Tags[j].Name, QwTagID: want[i].Tags[j].QwTagID}, tg)
		}
	}
	assert.Equal(t, "客户等级", groups[0].Name)
	assert.Equal(t, "etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ", groups[0].Tags[0].QwTagID, "the seed page's tag")
}

// TestEndpointGetUsers reads the staff directory and filters it by name.
func TestEndpointGetUsers(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)
	staff := sb.Data().Staff
	tests := []struct {
		name string
		req  tanma.UsersRequest
		want []string
	}{
		{name: "everyone", req: tanma.UsersRequest{PageNo: 1, PageSize: 100}, want: qwUserIDs(staff)},
		{name: "second page of 10", req: tanma.UsersRequest{PageNo: 2, PageSize: 10}, want: qwUserIDs(staff[10:20])},
		{name: "by name", req: tanma.UsersRequest{PageNo: 1, PageSize: 100, Name: "刘德文"}, want: []string{"dowen"}},
		{name: "former staff", req: tanma.UsersRequest{PageNo: 1, PageSize: 100, Deleted: 1}, want: []string{sandbox.FormerStaff.QwUserID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			page, err := c.GetUsers(t.Context(), tt.req)
			require.NoError(t, err)
			var got []string
			for _, u := range page.Result {
				got = append(got, u.QwUserID)
				assert.NotZero(t, u.SalesID)
				assert.NotEmpty(t, u.Name)
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.req.PageNo, page.PageNo)
			assert.Equal(t, tt.req.PageSize, page.PageSize)
			require.NotNil(t, page.TotalCount)
		})
	}
	page, err := c.GetUsers(t.Context(), tanma.UsersRequest{PageNo: 1, PageSize: 100})
	require.NoError(t, err)
	assert.Equal(t, tanma.User{SalesID: staff[0].SalesID, QwUserID: "dowen", Name: "刘德文"}, page.Result[0])
	assert.Equal(t, len(staff), *page.TotalCount)
}

func qwUserIDs(staff []sandbox.Staff) []string {
	var out []string
	for _, st := range staff {
		out = append(out, st.QwUserID)
	}
	return out
}

// TestEndpointUserDepartments reads a staff member's departments by either id.
func TestEndpointUserDepartments(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)
	want := []tanma.Department{{DepartmentID: 1, DepartmentName: "销售一部"}, {DepartmentID: 4, DepartmentName: "华南区"}}
	tests := []struct {
		name string
		req  tanma.UserDepartmentsRequest
		want []tanma.Department
	}{
		{name: "by qwUserId", req: tanma.UserDepartmentsRequest{QwUserID: "dowen"}, want: want},
		{name: "by salesId", req: tanma.UserDepartmentsRequest{SalesID: sb.Data().Staff[0].SalesID}, want: want},
		{name: "unknown", req: tanma.UserDepartmentsRequest{QwUserID: "nobody"}, want: []tanma.Department{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.UserDepartments(t.Context(), tt.req)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	_, err := c.UserDepartments(t.Context(), tanma.UserDepartmentsRequest{})
	assert.ErrorIs(t, err, tanma.ErrValidation, "neither id: %v", err)
}

// TestEndpointListFollowUps walks the seed customer's follow-ups 20 at a
// time to the end, newest first, each once.
func TestEndpointListFollowUps(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)
	want := sb.Data().FollowUpsOf(seedID)
	require.GreaterOrEqual(t, len(want), 30)

	var got []tanma.FollowUp
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 20, "paging does not end")
		page, err := c.ListFollowUps(t.Context(), tanma.FollowUpsRequest{CustomerID: seedID, Size: 20, Cursor: cursor})
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.List), 20)
		got = append(got, page.List...)
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	require.Len(t, got, len(want))
	seen := map[tanma.ID]bool{}
	for i, f := range got {
		assert.False(t, seen[f.ID], "follow-up %d twice", f.ID)
		seen[f.ID] = true
		w := want[i]
		assert.Equal(t, w.ID, f.ID)
		assert.Equal(t, w.Type, f.Type)
		assertStr(t, w.Content, f.Content)
		assertStr(t, w.CreateTime, f.CreateTime)
		require.NotNil(t, f.Operator)
		assert.Equal(t, tanma.Operator{QwUserID: w.Operator.QwUserID, Name: w.Operator.Name}, *f.Operator)
		if i > 0 {
			assert.GreaterOrEqual(t, *got[i-1].CreateTime, *f.CreateTime, "newest first")
		}
	}
	assert.Equal(t, int64(len(want)/20+1), sb.Calls(tanma.PathListFollowUps))

	notes, err := c.ListFollowUps(t.Context(), tanma.FollowUpsRequest{CustomerID: seedID, Size: 100, Type: sandbox.FollowUpNote})
	require.NoError(t, err)
	require.NotEmpty(t, notes.List)
	for _, f := range notes.List {
		assert.Equal(t, sandbox.FollowUpNote, f.Type)
	}

	_, err = c.ListFollowUps(t.Context(), tanma.FollowUpsRequest{Size: 20})
	assert.ErrorIs(t, err, tanma.ErrValidation, "no customer id: %v", err)
}

// TestEndpointListByRelationCreateTime lists the seed day's customers, every
// owner at once, and walks a month one small page at a time.
func TestEndpointListByRelationCreateTime(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)

	page, err := c.ListCustomersByRelationCreateTime(t.Context(), tanma.ListByRelationCreateTimeRequest{
		Since: "2021-03-06 00:00:00", Before: "2021-03-07 00:00:00", Size: 100})
	require.NoError(t, err)
	require.Len(t, page.List, 2)
	assert.Equal(t, seedID, page.List[0].CustomerID)
	assert.Equal(t, tanma.ID(398923388842048), page.List[1].CustomerID)
	assert.Empty(t, page.NextCursor)

	var want []tanma.ID
	for _, cu := range sb.Data().Customers {
		if ct := *cu.CreateTime; ct >= "2021-05-01 00:00:00" && ct < "2021-06-01 00:00:00" && *cu.QwUserID == "wangfang" {
			want = append(want, cu.CustomerID)
		}
	}
	require.NotEmpty(t, want)
	var got []tanma.ID
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 100, "paging does not end")
		page, err := c.ListCustomersByRelationCreateTime(t.Context(), tanma.ListByRelationCreateTimeRequest{
			Since: "2021-05-01 00:00:00", Before: "2021-06-01 00:00:00", QwUserID: "wangfang", Size: 3, Cursor: cursor})
		require.NoError(t, err)
		for _, cu := range page.List {
			got = append(got, cu.CustomerID)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	assert.Equal(t, want, got)

	_, err = c.ListCustomersByRelationCreateTime(t.Context(), tanma.ListByRelationCreateTimeRequest{Since: "2021-05-01", Before: "2021-06-01 00:00:00", Size: 3})
	assert.ErrorIs(t, err, tanma.ErrValidation, "a date without time: %v", err)
}

// TestEndpointSearchWithConditions searches with conditions, department ids
// and string sales ids, and reads salesDeptNames.
func TestEndpointSearchWithConditions(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)
	d := sb.Data()
	tag := d.TagGroups[0].Tags[0]

	page, err := c.SearchCustomers(t.Context(), tanma.SearchRequest{
		SalesIDList: []string{d.Staff[0].SalesID.String()},
		Conditions: &tanma.Conditions{ConditionOp: 1, ConditionItems: []tanma.ConditionItem{
			{Name: tanma.KeyStage, Op: 2, Values: []any{tanma.ID(396823724189760)}},
			{Name: "tagIds", Op: 6, Values: []any{tag.ID.String()}},
		}},
		PageNo: 1, PageSize: 100,
	})
	require.NoError(t, err)
	require.NotEmpty(t, page.Data)
	n, ok := page.Count()
	require.True(t, ok)
	assert.Equal(t, len(page.Data), n)
	assert.Equal(t, seedID, page.Data[0].CustomerID, "the seed customer: dowen's, stage 初步接触, the seed tag")
	for _, it := range page.Data {
		assertStr(t, "dowen", it.QwUserID)
		assert.Contains(t, it.TagIDs, tag.QwTagID)
		assert.JSONEq(t, `"396823724189760"`, string(it.ByFieldID["91642"]), "stage by field id")
		require.NotNil(t, it.SalesDeptNames)
		var names []string
		require.NoError(t, json.Unmarshal([]byte(*it.SalesDeptNames), &names))
		assert.Equal(t, []string{"销售一部", "华南区"}, names)
	}

	byDept, err := c.SearchCustomers(t.Context(), tanma.SearchRequest{DepartmentIDList: []string{"3"}, PageNo: 1, PageSize: 10})
	require.NoError(t, err)
	require.NotEmpty(t, byDept.Data)
	for _, it := range byDept.Data {
		owner := slices.IndexFunc(d.Staff, func(st sandbox.Staff) bool { return st.QwUserID == *it.QwUserID })
		require.GreaterOrEqual(t, owner, 0)
		assert.True(t, slices.ContainsFunc(d.Staff[owner].Departments, func(dep sandbox.Department) bool { return dep.ID == 3 }))
	}

	_, err = c.SearchCustomers(t.Context(), tanma.SearchRequest{PageNo: 1, PageSize: 10,
		Conditions: &tanma.Conditions{ConditionOp: 1, ConditionItems: []tanma.ConditionItem{{Name: "nosuchfield", Op: 2, Values: []any{1}}}}})
	assert.ErrorIs(t, err, tanma.ErrValidation, "an unknown condition: %v", err)
}
