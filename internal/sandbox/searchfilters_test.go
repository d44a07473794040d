package sandbox_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// searchHit is what the walks read of a search item.
type searchHit struct {
	CustomerID json.RawMessage `json:"customerId"`
}

// searchWalk pages through a search (members: JSON before pageNo, may be
// empty) and returns every item's id, checking the page counters on the way.
func searchWalk(t testing.TB, h *sandbox.Server, members string, size int) []tanma.ID {
	t.Helper()
	var all []tanma.ID
	for pageNo := 1; ; pageNo++ {
		if pageNo > 200 {
			t.Fatal("paging does not end")
		}
		var page struct {
			PageNo     int         `json:"pageNo"`
			PageSize   int         `json:"pageSize"`
			TotalPage  int         `json:"totalPage"`
			TotalCount int         `json:"totalCount"`
			Data       []searchHit `json:"data"`
		}
		epData(t, h, pathSearch, fmt.Sprintf(`{%s"pageNo":%d,"pageSize":%d}`, members, pageNo, size), &page)
		if page.PageNo != pageNo || page.PageSize != size || page.TotalPage != (page.TotalCount+size-1)/size {
			t.Fatalf("page %d: pageNo %d pageSize %d totalPage %d totalCount %d", pageNo, page.PageNo, page.PageSize, page.TotalPage, page.TotalCount)
		}
		if page.Data == nil {
			t.Fatal("data.data is null or absent")
		}
		all = append(all, searchIDs(t, page.Data)...)
		if pageNo >= page.TotalPage {
			if len(all) != page.TotalCount {
				t.Fatalf("%d items over %d pages, totalCount %d", len(all), pageNo, page.TotalCount)
			}
			return all
		}
	}
}

// searchFirst returns the first page's customer ids (of 100) and totalCount:
// enough to compare a broad filter with the dataset without a long walk.
func searchFirst(t testing.TB, h *sandbox.Server, members string) ([]tanma.ID, int) {
	t.Helper()
	var page struct {
		TotalCount int         `json:"totalCount"`
		Data       []searchHit `json:"data"`
	}
	epData(t, h, pathSearch, fmt.Sprintf(`{%s"pageNo":1,"pageSize":100}`, members), &page)
	return searchIDs(t, page.Data), page.TotalCount
}

// checkSearch compares a search with the dataset's matches: a full walk when
// walk is set or the matches fit in a few pages, else the first page and the
// count.
func checkSearch(t *testing.T, h *sandbox.Server, members string, want []tanma.ID, walk bool) {
	t.Helper()
	if walk || len(want) <= 300 {
		if got := searchWalk(t, h, members, 100); !slices.Equal(got, want) {
			t.Errorf("walk found %d customers, want %d", len(got), len(want))
		}
		return
	}
	got, total := searchFirst(t, h, members)
	if total != len(want) || !slices.Equal(got, want[:100]) {
		t.Errorf("first page of %d, totalCount %d; want %d matches", len(got), total, len(want))
	}
}

// searchIDs returns the customer ids of search items.
func searchIDs(t testing.TB, items []searchHit) []tanma.ID {
	t.Helper()
	ids := make([]tanma.ID, 0, len(items))
	for _, it := range items {
		ids = append(ids, tanma.ID(rawID(t, it.CustomerID)))
	}
	return ids
}

// customersWhere lists the dataset's customers matching f, in upstream order.
func customersWhere(d *sandbox.Dataset, f func(tanma.Customer) bool) []tanma.ID {
	ids := []tanma.ID{}
	for _, c := range d.Customers {
		if f(c) {
			ids = append(ids, c.CustomerID)
		}
	}
	return ids
}

// TestSearchAnswerShape checks the page's keys, in order, and the items'
// salesDeptNames: a string holding a JSON array of the owner's departments.
func TestSearchAnswerShape(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	data := epObject(t, "data", epOrderedData(t, sb, pathSearch, `{"customerId":398604120668224,"pageNo":1,"pageSize":10}`),
		"pageNo", "pageSize", "totalPage", "totalCount", "data")
	for _, k := range []string{"pageNo", "pageSize", "totalPage", "totalCount"} {
		epInteger(t, "data."+k, epMember(data, k))
	}
	items := epArray(t, "data.data", epMember(data, "data"))
	if len(items) != 1 {
		t.Fatalf("%d items, want 1", len(items))
	}
	item := items[0].(jsonObject)
	names := epString(t, "salesDeptNames", epMember(item, "salesDeptNames"))
	if names != `["销售一部","华南区"]` {
		t.Errorf("salesDeptNames %q, want [\"销售一部\",\"华南区\"] as a string", names)
	}
	for _, k := range []string{"customerId", "qwUserId", "qwSalesId", "fields", "tagIds", "createTime", "91642"} {
		if _, ok := item.member(k); !ok {
			t.Errorf("item lacks %q: %q", k, item.keys())
		}
	}
}

// TestSearchIDListTypes checks that salesIdList and departmentIdList take
// numbers, strings, or both, with the same result.
func TestSearchIDListTypes(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	d := sb.Data()
	dowen, chen := salesID(t, "dowen"), salesID(t, "chenjing")
	owners := customersWhere(d, func(c tanma.Customer) bool { q := deref(c.QwUserID); return q == "dowen" || q == "chenjing" })
	tests := []struct {
		name    string
		members string
		want    []tanma.ID
		walk    bool
	}{
		{name: "salesIdList numbers", members: fmt.Sprintf(`"salesIdList":[%s,%s],`, dowen, chen), want: owners},
		{name: "salesIdList strings", members: fmt.Sprintf(`"salesIdList":["%s","%s"],`, dowen, chen), want: owners},
		{name: "salesIdList mixed", members: fmt.Sprintf(`"salesIdList":["%s",%s],`, dowen, chen), want: owners},
		{name: "departmentIdList numbers", members: `"departmentIdList":[2],`, want: deptCustomers(d, 2), walk: true},
		{name: "departmentIdList strings", members: `"departmentIdList":["2"],`, want: deptCustomers(d, 2)},
		{name: "departmentIdList two", members: `"departmentIdList":[1,"4"],`, want: deptCustomers(d, 1, 4)},
		{name: "a department nobody is in", members: `"departmentIdList":[5],`, want: []tanma.ID{}},
		{name: "an unknown department", members: `"departmentIdList":[999],`, want: []tanma.ID{}},
		{name: "owner and department both apply", members: fmt.Sprintf(`"salesIdList":[%s,%s],"departmentIdList":[1],`, dowen, chen),
			want: customersWhere(d, func(c tanma.Customer) bool { return deref(c.QwUserID) == "dowen" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkSearch(t, sb, tt.members, tt.want, tt.walk)
		})
	}
}

// deptCustomers are the customers whose owner is in one of the departments.
func deptCustomers(d *sandbox.Dataset, depts ...tanma.ID) []tanma.ID {
	in := map[string]bool{}
	for _, st := range d.Staff {
		for _, dep := range st.Departments {
			if slices.Contains(depts, dep.ID) {
				in[st.QwUserID] = true
			}
		}
	}
	return customersWhere(d, func(c tanma.Customer) bool { return in[deref(c.QwUserID)] })
}

// TestSearchConditions checks the condition codes the sandbox knows against
// the dataset.
func TestSearchConditions(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	d := sb.Data()
	tagA := d.TagGroups[0].Tags[0] // the seed page's tag
	tagB := d.TagGroups[2].Tags[1]
	has := func(tags ...sandbox.Tag) func(tanma.Customer) bool {
		return func(c tanma.Customer) bool {
			return slices.ContainsFunc(tags, func(tg sandbox.Tag) bool { return slices.Contains(c.TagIDs, tg.QwTagID) })
		}
	}
	is := func(key string, values ...string) func(tanma.Customer) bool {
		return func(c tanma.Customer) bool {
			v := fieldValue(c, key)
			return v != nil && slices.Contains(values, *v)
		}
	}
	picks := func(key, option string) func(tanma.Customer) bool {
		return func(c tanma.Customer) bool {
			var ids []string
			v := fieldValue(c, key)
			return v != nil && json.Unmarshal([]byte(*v), &ids) == nil && slices.Contains(ids, option)
		}
	}
	and := func(a, b func(tanma.Customer) bool) func(tanma.Customer) bool {
		return func(c tanma.Customer) bool { return a(c) && b(c) }
	}
	or := func(a, b func(tanma.Customer) bool) func(tanma.Customer) bool {
		return func(c tanma.Customer) bool { return a(c) || b(c) }
	}
	cond := func(op int, items ...string) string {
		return fmt.Sprintf(`"conditions":{"conditionOp":%d,"conditionItems":[%s]},`, op, join(items))
	}
	tagItem := func(values string) string { return `{"name":"tagIds","op":6,"values":[` + values + `]}` }
	fieldItem := func(name, values string) string { return `{"name":"` + name + `","op":2,"values":[` + values + `]}` }
	tests := []struct {
		name    string
		members string
		want    func(tanma.Customer) bool
		walk    bool
	}{
		{name: "has a tag", members: cond(1, tagItem(tagA.ID.String())), want: has(tagA)},
		{name: "has a tag, id as string", members: cond(1, tagItem(`"`+tagA.ID.String()+`"`)), want: has(tagA)},
		{name: "has any of two tags", members: cond(1, tagItem(tagA.ID.String()+","+tagB.ID.String())), want: has(tagA, tagB)},
		{name: "stage as number", members: cond(1, fieldItem("customer_stage", "396823724189760")), want: is(tanma.KeyStage, "396823724189760")},
		{name: "stage as string", members: cond(1, fieldItem("customer_stage", `"396823724189760"`)), want: is(tanma.KeyStage, "396823724189760")},
		{name: "stage by field id", members: cond(1, fieldItem("91642", "398792098304067")), want: is(tanma.KeyStage, "398792098304067")},
		{name: "source 4 or 5", members: cond(1, fieldItem("customer_source", `4,"5"`)), want: is(tanma.KeySource, "4", "5")},
		{name: "purchase intention high", members: cond(1, fieldItem("purchase_intention", "1")), want: is(tanma.KeyPurchaseIntention, "1")},
		{name: "gender other", members: cond(1, fieldItem("gender", "0")), want: is(tanma.KeyGender, "0")},
		{name: "custom select", members: cond(1, fieldItem("133171", "133171001")), want: is("133171", "133171001")},
		{name: "custom multi select", members: cond(1, fieldItem("133175", "133175002")), want: picks("133175", "133175002")},
		{name: "AND", members: cond(1, tagItem(tagA.ID.String()), fieldItem("customer_source", "4")),
			want: and(has(tagA), is(tanma.KeySource, "4")), walk: true},
		{name: "OR", members: cond(0, tagItem(tagA.ID.String()), fieldItem("customer_stage", "398792098304068")),
			want: or(has(tagA), is(tanma.KeyStage, "398792098304068")), walk: true},
		{name: "conditionOp absent means AND", members: `"conditions":{"conditionItems":[` + tagItem(tagB.ID.String()) + `,` + fieldItem("gender", "1") + `]},`,
			want: and(has(tagB), is(tanma.KeyGender, "1"))},
		{name: "no items: no filter", members: `"conditions":{"conditionOp":1,"conditionItems":[]},`, want: func(tanma.Customer) bool { return true }},
		{name: "an unknown tag id matches nobody", members: cond(1, tagItem("1")), want: func(tanma.Customer) bool { return false }},
		{name: "a qwTagId is not a tag id", members: cond(0, tagItem(`"1"`), fieldItem("gender", "2")), want: is(tanma.KeyGender, "2")},
		{name: "with an owner", members: `"salesIdList":[` + salesID(t, "dowen") + `],` + cond(1, fieldItem("customer_stage", "396823724189760")),
			want: and(is(tanma.KeyStage, "396823724189760"), func(c tanma.Customer) bool { return deref(c.QwUserID) == "dowen" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkSearch(t, sb, tt.members, customersWhere(d, tt.want), tt.walk)
		})
	}
}

func join(items []string) string {
	out := ""
	for i, it := range items {
		if i > 0 {
			out += ","
		}
		out += it
	}
	return out
}

// TestSearchConditionValidation checks that conditions and id lists the
// sandbox cannot read are validation failures, never 500s.
func TestSearchConditionValidation(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	body := func(conditions string) string {
		return `{"conditions":` + conditions + `,"pageNo":1,"pageSize":10}`
	}
	tests := []struct {
		name string
		body string
	}{
		{name: "unknown name", body: body(`{"conditionOp":1,"conditionItems":[{"name":"nosuchfield","op":2,"values":[1]}]}`)},
		{name: "unknown op on a field", body: body(`{"conditionOp":1,"conditionItems":[{"name":"customer_stage","op":99,"values":[1]}]}`)},
		{name: "tag op on a field", body: body(`{"conditionOp":1,"conditionItems":[{"name":"customer_stage","op":6,"values":[1]}]}`)},
		{name: "field op on tags", body: body(`{"conditionOp":1,"conditionItems":[{"name":"tagIds","op":2,"values":[1]}]}`)},
		{name: "no op", body: body(`{"conditionOp":1,"conditionItems":[{"name":"tagIds","values":[1]}]}`)},
		{name: "conditionOp 2", body: body(`{"conditionOp":2,"conditionItems":[{"name":"tagIds","op":6,"values":[1]}]}`)},
		{name: "conditionOp 2 without items", body: body(`{"conditionOp":2,"conditionItems":[]}`)},
		{name: "empty values", body: body(`{"conditionOp":1,"conditionItems":[{"name":"tagIds","op":6,"values":[]}]}`)},
		{name: "no values", body: body(`{"conditionOp":1,"conditionItems":[{"name":"tagIds","op":6}]}`)},
		{name: "a boolean value", body: body(`{"conditionOp":1,"conditionItems":[{"name":"gender","op":2,"values":[true]}]}`)},
		{name: "a null value", body: body(`{"conditionOp":1,"conditionItems":[{"name":"gender","op":2,"values":[null]}]}`)},
		{name: "an object value", body: body(`{"conditionOp":1,"conditionItems":[{"name":"gender","op":2,"values":[{}]}]}`)},
		{name: "a non-numeric tag id", body: body(`{"conditionOp":1,"conditionItems":[{"name":"tagIds","op":6,"values":["etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ"]}]}`)},
		{name: "conditions not an object", body: body(`[]`)},
		{name: "op as string", body: body(`{"conditionOp":1,"conditionItems":[{"name":"tagIds","op":"6","values":[1]}]}`)},
		{name: "a non-numeric department id", body: `{"departmentIdList":["x"],"pageNo":1,"pageSize":10}`},
		{name: "a non-numeric sales id", body: `{"salesIdList":["dowen"],"pageNo":1,"pageSize":10}`},
		{name: "departmentIdList not an array", body: `{"departmentIdList":1,"pageNo":1,"pageSize":10}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			validationFailure(t, post(sb, pathSearch, tt.body))
		})
	}
}
