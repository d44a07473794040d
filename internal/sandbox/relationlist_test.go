package sandbox_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// relationWindow is a list-by-relation-create-time-asc request without
// paging members.
type relationWindow struct {
	Since    string `json:"since"`
	Before   string `json:"before"`
	QwUserID string `json:"qwUserId,omitempty"`
}

// relationWalk pages through a window and returns the items' raw JSON and
// the number of pages.
func relationWalk(t testing.TB, h *sandbox.Server, w relationWindow, size int) ([]map[string]json.RawMessage, int) {
	t.Helper()
	var all []map[string]json.RawMessage
	cursor := ""
	for pages := 1; ; pages++ {
		if pages > 200 {
			t.Fatal("paging does not end")
		}
		body := epBody(t, map[string]any{"since": w.Since, "before": w.Before, "qwUserId": w.QwUserID, "size": size, "cursor": cursor})
		var page struct {
			List       []map[string]json.RawMessage `json:"list"`
			NextCursor *string                      `json:"nextCursor"`
		}
		epData(t, h, epPathRelation, body, &page)
		if page.List == nil || page.NextCursor == nil {
			t.Fatalf("list or nextCursor null or absent")
		}
		if (len(page.List) == size) != (*page.NextCursor != "") {
			t.Fatalf("page of %d (size %d) with nextCursor %q", len(page.List), size, *page.NextCursor)
		}
		all = append(all, page.List...)
		if *page.NextCursor == "" {
			return all, pages
		}
		cursor = *page.NextCursor
	}
}

// inWindow is what the dataset says a window holds, in upstream order.
func inWindow(d *sandbox.Dataset, w relationWindow) []tanma.ID {
	var out []tanma.ID
	for _, c := range d.Customers {
		ct := deref(c.CreateTime)
		if ct >= w.Since && ct < w.Before && (w.QwUserID == "" || deref(c.QwUserID) == w.QwUserID) {
			out = append(out, c.CustomerID)
		}
	}
	return out
}

// TestRelationListShape checks the answer's keys and that each item is,
// byte for byte, what list-by-qw-user-id sends for that customer.
func TestRelationListShape(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	data := epObject(t, "data", epOrderedData(t, sb, epPathRelation,
		`{"since":"2021-03-06 00:00:00","before":"2021-03-08 00:00:00","size":100,"cursor":"","type":1}`), "list", "nextCursor")
	epString(t, "data.nextCursor", epMember(data, "nextCursor"))
	if len(epArray(t, "data.list", epMember(data, "list"))) == 0 {
		t.Fatal("no customer in the first two days")
	}
	var page struct {
		List []json.RawMessage `json:"list"`
	}
	epData(t, sb, epPathRelation, `{"since":"2021-03-06 00:00:00","before":"2021-03-08 00:00:00","qwUserId":"dowen","size":100}`, &page)
	var owned struct {
		List []json.RawMessage `json:"list"`
	}
	epData(t, sb, pathList, `{"qwUserId":"dowen","size":100}`, &owned)
	if len(page.List) == 0 || len(page.List) > len(owned.List) {
		t.Fatalf("%d items in the window, %d on dowen's first page", len(page.List), len(owned.List))
	}
	for i, raw := range page.List {
		if string(raw) != string(owned.List[i]) {
			t.Errorf("item %d differs from list-by-qw-user-id:\n%s\n%s", i, raw, owned.List[i])
		}
	}
}

// TestRelationListWalk pages through windows and finds each customer of the
// window once, in (createTime, customerId) order.
func TestRelationListWalk(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	d := sb.Data()
	everything := relationWindow{Since: "2000-01-01 00:00:00", Before: "2100-01-01 00:00:00"}
	tests := []struct {
		name   string
		window relationWindow
		size   int
		want   int // expected matches when known, else -1
	}{
		{name: "every customer by 100", window: everything, size: 100, want: len(d.Customers)},
		{name: "every customer of dowen by 100", window: relationWindow{everything.Since, everything.Before, "dowen"}, size: 100, want: 1234},
		{name: "majun's exact page", window: relationWindow{everything.Since, everything.Before, "majun"}, size: 100, want: 100},
		{name: "an owner with none", window: relationWindow{everything.Since, everything.Before, "zhaolei"}, size: 10, want: 0},
		{name: "an unknown owner", window: relationWindow{everything.Since, everything.Before, "nobody"}, size: 10, want: 0},
		{name: "the seed day", window: relationWindow{Since: "2021-03-06 00:00:00", Before: "2021-03-07 00:00:00"}, size: 1, want: 2},
		{name: "since inclusive, before exclusive", window: relationWindow{Since: "2021-03-06 16:22:17", Before: "2021-03-06 16:26:51"}, size: 10, want: 1},
		{name: "a month by 7", window: relationWindow{Since: "2021-06-01 00:00:00", Before: "2021-07-01 00:00:00"}, size: 7, want: -1},
		{name: "a month of wangfang by 3", window: relationWindow{"2021-06-01 00:00:00", "2021-07-01 00:00:00", "wangfang"}, size: 3, want: -1},
		{name: "a second", window: relationWindow{Since: "2021-03-06 16:22:17", Before: "2021-03-06 16:22:18"}, size: 100, want: 1},
		{name: "before the first customer", window: relationWindow{Since: "2020-01-01 00:00:00", Before: "2021-01-01 00:00:00"}, size: 100, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := inWindow(d, tt.window)
			if tt.want >= 0 && len(want) != tt.want {
				t.Fatalf("the dataset has %d customers in the window, the test expects %d", len(want), tt.want)
			}
			items, pages := relationWalk(t, sb, tt.window, tt.size)
			var got []tanma.ID
			for _, it := range items {
				got = append(got, tanma.ID(rawID(t, it["customerId"])))
			}
			if !slices.Equal(got, want) {
				t.Errorf("walk found %d customers, want %d in upstream order", len(got), len(want))
			}
			if wantPages := len(want)/tt.size + 1; pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
		})
	}
}

// TestRelationListValidation checks that bad parameters are validation
// failures, never 500s.
func TestRelationListValidation(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	var page struct {
		NextCursor string `json:"nextCursor"`
	}
	epData(t, sb, epPathRelation, `{"since":"2021-01-01 00:00:00","before":"2022-01-01 00:00:00","size":5}`, &page)
	if page.NextCursor == "" {
		t.Fatal("no cursor after a first page of 5")
	}
	_, listCursor := listPage(t, sb, "dowen", "", 5)
	cursorBody := func(since, before, owner, cursor string) string {
		return epBody(t, map[string]any{"since": since, "before": before, "qwUserId": owner, "size": 5, "cursor": cursor})
	}
	tests := []struct {
		name string
		body string
	}{
		{name: "no since", body: `{"before":"2022-01-01 00:00:00","size":10}`},
		{name: "no before", body: `{"since":"2021-01-01 00:00:00","size":10}`},
		{name: "empty since", body: `{"since":"","before":"2022-01-01 00:00:00","size":10}`},
		{name: "date only", body: `{"since":"2021-01-01","before":"2022-01-01 00:00:00","size":10}`},
		{name: "ISO 8601", body: `{"since":"2021-01-01T00:00:00+08:00","before":"2022-01-01 00:00:00","size":10}`},
		{name: "since a number", body: `{"since":1609430400000,"before":"2022-01-01 00:00:00","size":10}`},
		{name: "since equals before", body: `{"since":"2021-01-01 00:00:00","before":"2021-01-01 00:00:00","size":10}`},
		{name: "since after before", body: `{"since":"2022-01-01 00:00:00","before":"2021-01-01 00:00:00","size":10}`},
		{name: "size 0", body: `{"since":"2021-01-01 00:00:00","before":"2022-01-01 00:00:00","size":0}`},
		{name: "size 101", body: `{"since":"2021-01-01 00:00:00","before":"2022-01-01 00:00:00","size":101}`},
		{name: "garbage cursor", body: cursorBody("2021-01-01 00:00:00", "2022-01-01 00:00:00", "", "garbage")},
		{name: "cursor of another since", body: cursorBody("2021-01-02 00:00:00", "2022-01-01 00:00:00", "", page.NextCursor)},
		{name: "cursor of another before", body: cursorBody("2021-01-01 00:00:00", "2022-01-02 00:00:00", "", page.NextCursor)},
		{name: "cursor of another owner", body: cursorBody("2021-01-01 00:00:00", "2022-01-01 00:00:00", "dowen", page.NextCursor)},
		{name: "a list-by-qw-user-id cursor", body: cursorBody("2021-01-01 00:00:00", "2022-01-01 00:00:00", "dowen", listCursor)},
		{name: "malformed", body: `{"since":`},
		{name: "no body", body: ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			validationFailure(t, post(sb, epPathRelation, tt.body))
		})
	}
	t.Run("the cursor works where it was made", func(t *testing.T) {
		t.Parallel()
		okData(t, post(sb, epPathRelation, cursorBody("2021-01-01 00:00:00", "2022-01-01 00:00:00", "", page.NextCursor)))
	})
}

// TestRelationListType: any type is accepted and filters nothing, as for
// list-by-qw-user-id.
func TestRelationListType(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		typ  string
		want int
	}{
		{name: "type 1", typ: `,"type":1`, want: 2},
		{name: "type 0 keeps all", typ: `,"type":0`, want: 2},
		{name: "no type", typ: ``, want: 2},
		{name: "type 2", typ: `,"type":2`, want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var page struct {
				List []json.RawMessage `json:"list"`
			}
			epData(t, sb, epPathRelation, fmt.Sprintf(`{"since":"2021-03-06 00:00:00","before":"2021-03-07 00:00:00","size":10%s}`, tt.typ), &page)
			if len(page.List) != tt.want {
				t.Errorf("%d customers, want %d", len(page.List), tt.want)
			}
		})
	}
}
