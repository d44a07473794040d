package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// salesID returns the Tanma salesId of a staff member, as JSON.
func salesID(t testing.TB, qwUserID string) string {
	t.Helper()
	for _, st := range sandbox.Default().Staff {
		if st.QwUserID == qwUserID {
			return st.SalesID.String()
		}
	}
	t.Fatalf("no staff member %q", qwUserID)
	return ""
}

// searchResult is what the tests read of a customer/search answer.
type searchResult struct {
	Items     []map[string]json.RawMessage
	IDs       []int64
	TotalPage int
}

// searchPage posts a search body and decodes the answer.
func searchPage(t testing.TB, h http.Handler, body string) searchResult {
	t.Helper()
	data := okData(t, post(h, pathSearch, body))
	var page struct {
		Data      []map[string]json.RawMessage `json:"data"`
		TotalPage *int                         `json:"totalPage"`
	}
	if err := json.Unmarshal(data, &page); err != nil {
		t.Fatalf("data: %v\n%.300s", err, data)
	}
	if page.Data == nil || page.TotalPage == nil {
		t.Fatalf("data.data or data.totalPage missing: %.300s", data)
	}
	r := searchResult{Items: page.Data, TotalPage: *page.TotalPage}
	for _, it := range page.Data {
		r.IDs = append(r.IDs, rawID(t, it["customerId"]))
	}
	return r
}

// fieldValue returns a customer's valueAsText for the field key.
func fieldValue(c tanma.Customer, key string) *string {
	for _, f := range c.Fields {
		if f.Field == key {
			return f.ValueAsText
		}
	}
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// TestSearchByCustomerID checks that {customerId} finds exactly that customer.
func TestSearchByCustomerID(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	d := sb.Data()
	tests := []struct {
		name string
		id   tanma.ID
		want int
	}{
		{name: "first seed customer", id: 398604120668224, want: 1},
		{name: "second seed customer", id: 398923388842048, want: 1},
		{name: "the big id", id: sandbox.BigID, want: 1},
		{name: "a generated customer", id: d.Customers[len(d.Customers)/2].CustomerID, want: 1},
		{name: "the last customer", id: d.Customers[len(d.Customers)-1].CustomerID, want: 1},
		{name: "no such customer", id: 1, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := searchPage(t, sb, fmt.Sprintf(`{"customerId":%d,"pageNo":1,"pageSize":100}`, tt.id))
			if len(r.IDs) != tt.want || r.TotalPage != tt.want {
				t.Fatalf("%d items, totalPage %d; want %d and %d", len(r.IDs), r.TotalPage, tt.want, tt.want)
			}
			if tt.want == 1 && r.IDs[0] != int64(tt.id) {
				t.Errorf("found customer %d, want %d", r.IDs[0], tt.id)
			}
		})
	}
}

// TestSearchPaging walks numbered pages and checks that they yield every
// match exactly once, that totalPage is ceil(matches/pageSize) on every page,
// and that full pages precede one short (or full) last page.
func TestSearchPaging(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	d := sb.Data()
	ids := func(cs []tanma.Customer) []int64 {
		out := make([]int64, len(cs))
		for i, c := range cs {
			out[i] = int64(c.CustomerID)
		}
		return out
	}
	mentioning := func(key string) []int64 {
		var out []int64
		for _, c := range d.Customers {
			if strings.Contains(deref(fieldValue(c, tanma.KeyName)), key) || strings.Contains(deref(c.QwRemark), key) ||
				strings.Contains(deref(fieldValue(c, tanma.KeyMobile)), key) {
				out = append(out, int64(c.CustomerID))
			}
		}
		return out
	}
	tests := []struct {
		name   string
		filter string // JSON members before pageNo and pageSize
		size   int
		want   []int64
	}{
		{name: "one owner, 50 a page", filter: `"salesIdList":[` + salesID(t, "lina") + `],`, size: 50, want: ids(d.CustomersOf("lina"))},
		{name: "one owner, exact pages", filter: `"salesIdList":[` + salesID(t, "chenjing") + `],`, size: 100, want: ids(d.CustomersOf("chenjing"))},
		{name: "one owner, 7 a page", filter: `"salesIdList":[` + salesID(t, "liangdan") + `],`, size: 7, want: ids(d.CustomersOf("liangdan"))},
		{name: "one customer, 1 a page", filter: `"salesIdList":[` + salesID(t, sandbox.BigIDOwner) + `],`, size: 1, want: []int64{int64(sandbox.BigID)}},
		{name: "owner with none", filter: `"salesIdList":[` + salesID(t, "zhaolei") + `],`, size: 10, want: nil},
		{name: "search key", filter: `"searchKey":"欧阳",`, size: 37, want: mentioning("欧阳")},
		{name: "common surname", filter: `"searchKey":"王",`, size: 37, want: mentioning("王")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantPages := (len(tt.want) + tt.size - 1) / tt.size
			var got []int64
			for pageNo := 1; ; pageNo++ {
				r := searchPage(t, sb, fmt.Sprintf(`{%s"pageNo":%d,"pageSize":%d}`, tt.filter, pageNo, tt.size))
				if r.TotalPage != wantPages {
					t.Fatalf("page %d: totalPage %d, want %d", pageNo, r.TotalPage, wantPages)
				}
				if pageNo > wantPages {
					if len(r.IDs) != 0 {
						t.Fatalf("page %d past totalPage has %d items", pageNo, len(r.IDs))
					}
					break
				}
				if pageNo < wantPages && len(r.IDs) != tt.size {
					t.Fatalf("page %d of %d has %d items, want %d", pageNo, wantPages, len(r.IDs), tt.size)
				}
				if len(r.IDs) == 0 || len(r.IDs) > tt.size {
					t.Fatalf("page %d has %d items", pageNo, len(r.IDs))
				}
				got = append(got, r.IDs...)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("pages yielded %d customers, want %d", len(got), len(tt.want))
			}
			seen := map[int64]bool{}
			for _, id := range got {
				if seen[id] {
					t.Fatalf("customer %d yielded twice", id)
				}
				seen[id] = true
			}
			for _, id := range tt.want {
				if !seen[id] {
					t.Fatalf("customer %d never yielded", id)
				}
			}
		})
	}
}

// TestSearchKey checks that searchKey finds customers by name (and the
// other texts the sandbox searches: remark and phones), and only those.
func TestSearchKey(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	d := sb.Data()
	generated := d.Customers[len(d.Customers)/3]
	tests := []struct {
		name string
		key  string
		must tanma.ID // a customer the answer must hold
	}{
		{name: "the seed page's name", key: "张三测", must: 398923388842048},
		{name: "part of a name", key: "三测", must: 398923388842048},
		{name: "the seed page's numeric name", key: "14635", must: 398604120668224},
		{name: "a generated full name", key: deref(fieldValue(generated, tanma.KeyName)), must: generated.CustomerID},
		{name: "a phone", key: "18910515284", must: 398923388842048},
		{name: "padded with spaces", key: "  张三测 ", must: 398923388842048},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body, _ := json.Marshal(map[string]any{"searchKey": tt.key, "pageNo": 1, "pageSize": 100})
			r := searchPage(t, sb, string(body))
			if !slices.Contains(r.IDs, int64(tt.must)) {
				t.Errorf("customer %d not found by %q (%d results)", tt.must, tt.key, len(r.IDs))
			}
			key := strings.TrimSpace(tt.key)
			for _, id := range r.IDs {
				c, ok := d.Customer(tanma.ID(id))
				if !ok {
					t.Fatalf("result %d is not in the dataset", id)
				}
				if !strings.Contains(deref(fieldValue(c, tanma.KeyName)), key) && !strings.Contains(deref(c.QwRemark), key) &&
					!strings.Contains(deref(fieldValue(c, tanma.KeyMobile)), key) {
					t.Errorf("result %d does not mention %q", id, key)
				}
			}
		})
	}
}

// TestSearchSalesIDList checks that salesIdList keeps the customers of
// those staff members.
func TestSearchSalesIDList(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name   string
		owners []string
		extra  string // raw JSON ids appended to the list
		want   int
	}{
		{name: "one owner", owners: []string{"majun"}, want: 100},
		{name: "two owners", owners: []string{"majun", "zhoutao"}, want: 199},
		{name: "owner with none", owners: []string{"zhaolei"}, want: 0},
		{name: "unknown sales id", extra: "1", want: 0},
		{name: "sales id as a decimal string", extra: `"` + salesID(t, "zhoutao") + `"`, want: 99},
		{name: "empty list means everyone", want: len(sb.Data().Customers)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var ids []string
			for _, o := range tt.owners {
				ids = append(ids, salesID(t, o))
			}
			if tt.extra != "" {
				ids = append(ids, tt.extra)
			}
			n := 0
			if len(tt.owners) == 0 {
				// Too many to walk under -race: count by totalPage and the last page.
				body := func(pageNo int) string {
					return fmt.Sprintf(`{"salesIdList":[%s],"pageNo":%d,"pageSize":100}`, strings.Join(ids, ","), pageNo)
				}
				first := searchPage(t, sb, body(1))
				if first.TotalPage > 0 {
					n = (first.TotalPage-1)*100 + len(searchPage(t, sb, body(first.TotalPage)).Items)
				}
				if n != tt.want {
					t.Errorf("%d customers, want %d", n, tt.want)
				}
				return
			}
			for pageNo := 1; ; pageNo++ {
				r := searchPage(t, sb, fmt.Sprintf(`{"salesIdList":[%s],"pageNo":%d,"pageSize":100}`, strings.Join(ids, ","), pageNo))
				for _, it := range r.Items {
					var owner string
					if err := json.Unmarshal(it["qwUserId"], &owner); err != nil {
						t.Fatal(err)
					}
					if len(tt.owners) > 0 && !slices.Contains(tt.owners, owner) {
						t.Fatalf("customer of %q in a search for %q", owner, tt.owners)
					}
				}
				n += len(r.Items)
				if pageNo >= r.TotalPage {
					break
				}
			}
			if n != tt.want {
				t.Errorf("%d customers, want %d", n, tt.want)
			}
		})
	}
}

// TestSearchCreateTime checks the createTime window (both ends inclusive: a
// sandbox choice, upstream does not say).
func TestSearchCreateTime(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	r := searchPage(t, sb, `{"createTime":{"start":"2021-03-06 16:22:17","end":"2021-03-06 16:26:51"},"pageNo":1,"pageSize":100}`)
	if !slices.Equal(r.IDs, []int64{398604120668224, 398923388842048}) {
		t.Errorf("customers %v, want the two seed customers", r.IDs)
	}
}

// TestSearchValidation checks that bad search bodies are validation failures.
func TestSearchValidation(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		body string
	}{
		{name: "empty body", body: ``},
		{name: "invalid JSON", body: `{"pageNo":`},
		{name: "pageNo 0", body: `{"pageNo":0,"pageSize":10}`},
		{name: "pageNo -1", body: `{"pageNo":-1,"pageSize":10}`},
		{name: "pageSize 0", body: `{"pageNo":1,"pageSize":0}`},
		{name: "pageSize 101", body: `{"pageNo":1,"pageSize":101}`},
		{name: "pageNo as string", body: `{"pageNo":"1","pageSize":10}`},
		{name: "searchKey as number", body: `{"searchKey":12,"pageNo":1}`},
		{name: "salesIdList not a list", body: `{"salesIdList":123,"pageNo":1}`},
		{name: "customerId not a number", body: `{"customerId":"abc","pageNo":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			validationFailure(t, post(sb, pathSearch, tt.body))
		})
	}
}

// TestSearchCustomFields checks that a search item carries every profile
// field keyed by its numeric field id, with the customer's valueAsText.
func TestSearchCustomFields(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	d := sb.Data()
	tests := []struct {
		name string
		c    tanma.Customer
	}{
		{name: "seed customer", c: d.Customers[0]},
		{name: "generated customer", c: d.Customers[100]},
		{name: "another generated customer", c: d.Customers[len(d.Customers)-7]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := searchPage(t, sb, fmt.Sprintf(`{"customerId":%d}`, tt.c.CustomerID))
			if len(r.Items) != 1 {
				t.Fatalf("%d items, want 1", len(r.Items))
			}
			item := r.Items[0]
			for _, f := range tt.c.Fields {
				i := slices.IndexFunc(d.Fields, func(def sandbox.FieldDef) bool { return def.Key == f.Field })
				if i < 0 {
					t.Fatalf("field %q has no definition", f.Field)
				}
				key := d.Fields[i].ID.String()
				raw, ok := item[key]
				if !ok {
					t.Errorf("no member %q for field %q", key, f.Field)
					continue
				}
				var got *string
				if err := json.Unmarshal(raw, &got); err != nil {
					t.Errorf("member %q = %s, want a string or null", key, raw)
					continue
				}
				if deref(got) != deref(f.ValueAsText) || (got == nil) != (f.ValueAsText == nil) {
					t.Errorf("member %q = %s, want %v", key, raw, deref(f.ValueAsText))
				}
			}
			custom := 0
			for k := range item {
				if decimalID.MatchString(k) {
					custom++
				}
			}
			if custom != len(tt.c.Fields) {
				t.Errorf("%d numeric members, want one per field (%d)", custom, len(tt.c.Fields))
			}
		})
	}
}
