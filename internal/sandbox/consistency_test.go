package sandbox_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestConsistencyAcrossEndpoints checks, through the endpoints only, that
// the answers agree with each other: tags, owners, authors, departments, and
// the three ways of listing customers.
func TestConsistencyAcrossEndpoints(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	var users struct {
		Result []tanma.User `json:"result"`
	}
	epData(t, sb, epPathUsers, `{"pageNo":1,"pageSize":100,"deleted":0}`, &users)
	staff := map[string]tanma.User{}
	for _, u := range users.Result {
		staff[u.QwUserID] = u
	}
	var former struct {
		Result []tanma.User `json:"result"`
	}
	epData(t, sb, epPathUsers, `{"pageNo":1,"pageSize":100,"deleted":1}`, &former)
	authors := maps.Clone(staff) // follow-ups may be written by staff who left since
	for _, u := range former.Result {
		authors[u.QwUserID] = u
	}
	if len(staff) == 0 {
		t.Fatal("get-users lists nobody")
	}

	t.Run("every owner is in get-users and every tag in the library", func(t *testing.T) {
		t.Parallel()
		var groups []tanma.TagGroup
		epData(t, sb, epPathTagTree, ``, &groups)
		library := map[string]bool{}
		for _, g := range groups {
			for _, tg := range g.Tags {
				library[tg.QwTagID] = true
			}
		}
		items, _ := relationWalk(t, sb, relationWindow{Since: "2000-01-01 00:00:00", Before: "2100-01-01 00:00:00"}, 100)
		if len(items) != len(sb.Data().Customers) {
			t.Fatalf("the whole window holds %d customers, the dataset %d", len(items), len(sb.Data().Customers))
		}
		for _, it := range items {
			var c tanma.Customer
			raw, _ := json.Marshal(it)
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatal(err)
			}
			if _, ok := staff[deref(c.QwUserID)]; !ok {
				t.Errorf("customer %d: owner %q is not in get-users", c.CustomerID, deref(c.QwUserID))
			}
			for _, tag := range c.TagIDs {
				if !library[tag] {
					t.Errorf("customer %d: tag %q is not in the library", c.CustomerID, tag)
				}
			}
		}
	})

	t.Run("every follow-up author is staff or the API", func(t *testing.T) {
		t.Parallel()
		heavy, some, _ := followUpCustomers(t, sb.Data())
		for _, id := range []tanma.ID{sandbox.SeedCustomerID, heavy, some} {
			fs, _ := followUpWalk(t, sb, id, 100, "")
			for _, f := range fs {
				u, ok := authors[f.Operator.QwUserID]
				if f.Operator != sandbox.APIOperator && (!ok || u.Name != f.Operator.Name) {
					t.Errorf("follow-up %d: operator %+v is neither staff nor the API", f.ID, f.Operator)
				}
			}
		}
	})

	for _, u := range users.Result {
		t.Run("owner "+u.QwUserID, func(t *testing.T) {
			t.Parallel()
			var depts []tanma.Department
			epData(t, sb, epPathUserDepts, fmt.Sprintf(`{"salesId":%d}`, u.SalesID), &depts)
			var names []string
			for _, d := range depts {
				names = append(names, d.DepartmentName)
			}
			wantNames, _ := json.Marshal(names)

			listed := ownerList(t, sb, u.QwUserID)
			windowed, _ := relationWalk(t, sb, relationWindow{"2000-01-01 00:00:00", "2100-01-01 00:00:00", u.QwUserID}, 100)
			searched := ownerSearch(t, sb, u.SalesID)
			if len(listed) != len(windowed) || len(listed) != len(searched) {
				t.Fatalf("list-by-qw-user-id %d, by create time %d, search %d customers", len(listed), len(windowed), len(searched))
			}
			for i := range listed {
				id := rawID(t, listed[i]["customerId"])
				if rawID(t, windowed[i]["customerId"]) != id || rawID(t, searched[i]["customerId"]) != id {
					t.Fatalf("item %d: the lists disagree on the customer", i)
				}
				for k, v := range listed[i] {
					if k == "fields" {
						// A search item's fields array holds the system fields;
						// every field is also a key named by its id (checked in
						// search_test.go).
						if string(windowed[i][k]) != string(v) || string(searched[i][k]) != systemFields(t, sb.Data(), v) {
							t.Errorf("customer %d: fields differ: list %s, by create time %s, search %s", id, v, windowed[i][k], searched[i][k])
						}
						continue
					}
					if string(windowed[i][k]) != string(v) || string(searched[i][k]) != string(v) {
						t.Errorf("customer %d: %s differs: list %s, by create time %s, search %s", id, k, v, windowed[i][k], searched[i][k])
					}
				}
				var deptNames string
				if err := json.Unmarshal(searched[i]["salesDeptNames"], &deptNames); err != nil || deptNames != string(wantNames) {
					t.Errorf("customer %d: salesDeptNames %s, user-department says %s", id, searched[i]["salesDeptNames"], wantNames)
				}
				if string(searched[i]["qwSalesId"]) != string(listed[i]["qwUserId"]) {
					t.Errorf("customer %d: qwSalesId %s, qwUserId %s", id, searched[i]["qwSalesId"], listed[i]["qwUserId"])
				}
			}
		})
	}
}

// ownerList walks list-by-qw-user-id for an owner.
func ownerList(t testing.TB, h *sandbox.Server, owner string) []map[string]json.RawMessage {
	t.Helper()
	var all []map[string]json.RawMessage
	cursor := ""
	for pages := 0; pages < 100; pages++ {
		items, next := listPage(t, h, owner, cursor, 100)
		for _, it := range items {
			all = append(all, it.RawItems)
		}
		if next == "" {
			return all
		}
		cursor = next
	}
	t.Fatal("paging does not end")
	return nil
}

// ownerSearch walks customer/search for an owner.
func ownerSearch(t testing.TB, h *sandbox.Server, salesID tanma.ID) []map[string]json.RawMessage {
	t.Helper()
	var all []map[string]json.RawMessage
	for pageNo := 1; pageNo < 100; pageNo++ {
		var page struct {
			TotalPage int                          `json:"totalPage"`
			Data      []map[string]json.RawMessage `json:"data"`
		}
		epData(t, h, pathSearch, fmt.Sprintf(`{"salesIdList":["%d"],"pageNo":%d,"pageSize":100}`, salesID, pageNo), &page)
		all = append(all, page.Data...)
		if pageNo >= page.TotalPage {
			return slices.Clip(all)
		}
	}
	t.Fatal("paging does not end")
	return nil
}

// systemFields is a list item's fields array reduced to the system fields,
// as a search item carries it.
func systemFields(t *testing.T, d *sandbox.Dataset, raw json.RawMessage) string {
	t.Helper()
	var all []json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	system := map[string]bool{}
	for _, f := range d.Fields {
		system[f.Key] = f.System
	}
	var out []json.RawMessage
	for _, f := range all {
		var key struct{ Field string }
		if err := json.Unmarshal(f, &key); err != nil {
			t.Fatal(err)
		}
		if system[key.Field] {
			out = append(out, f)
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}
