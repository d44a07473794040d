package sandbox_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// seedAnswerPath is the example answer of Tanma's list-by-qw-user-id doc
// page, verbatim: the wire contract. The client's decode tests read the
// same file (see ../tanma/testdata/README.md).
const seedAnswerPath = "../tanma/testdata/list-page.json"

// seedItemKeys are the 13 properties of a list item, in the seed page's order.
var seedItemKeys = []string{
	"customerId", "qwUserId", "type", "fields", "tagIds", "createTime", "lastUpdateTime",
	"wechatNickname", "wechatAvatar", "wechatLocation", "convertCustomerTime", "qwRemark", "externalUserId",
}

var upstreamTime = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$`)

// seedList returns the seed page's list items, key order kept.
func seedList(t testing.TB) []any {
	t.Helper()
	b, err := os.ReadFile(seedAnswerPath)
	if err != nil {
		t.Fatalf("seed answer: %v", err)
	}
	v, err := decodeOrdered(b)
	if err != nil {
		t.Fatalf("seed answer: %v", err)
	}
	data, _ := v.(jsonObject).member("data")
	list, _ := data.(jsonObject).member("list")
	return list.([]any)
}

// diffJSON lists where got and want (decodeOrdered values) differ: keys,
// their order, value types (json.Number is not string) and values.
func diffJSON(path string, got, want any) []string {
	switch w := want.(type) {
	case jsonObject:
		g, ok := got.(jsonObject)
		if !ok {
			return []string{fmt.Sprintf("%s: got %#v, want an object", path, got)}
		}
		if !slices.Equal(g.keys(), w.keys()) {
			return []string{fmt.Sprintf("%s: keys %q, want %q", path, g.keys(), w.keys())}
		}
		var out []string
		for i := range w {
			out = append(out, diffJSON(path+"."+w[i].Key, g[i].Value, w[i].Value)...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: got %#v, want %#v", path, got, want)}
		}
		var out []string
		for i := range w {
			out = append(out, diffJSON(fmt.Sprintf("%s[%d]", path, i), g[i], w[i])...)
		}
		return out
	}
	if !reflect.DeepEqual(got, want) {
		return []string{fmt.Sprintf("%s: got %#v, want %#v", path, got, want)}
	}
	return nil
}

// TestWireSeedPage checks that dowen's first two customers are the seed
// page's two list items, key for key and value for value, in the same order,
// whatever the page size.
func TestWireSeedPage(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	want := seedList(t)
	if len(want) != 2 {
		t.Fatalf("seed page has %d items, want 2", len(want))
	}
	tests := []struct {
		name string
		body string
	}{
		{name: "size 2", body: `{"qwUserId":"dowen","size":2}`},
		{name: "size 100", body: `{"qwUserId":"dowen","size":100}`},
		{name: "the page's example shape", body: `{"qwUserId":"dowen","cursor":"","size":100,"type":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := post(sb, pathList, tt.body)
			okData(t, w)
			v, err := decodeOrdered(w.Body.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			env := v.(jsonObject)
			if got := env.keys(); !slices.Equal(got, []string{"code", "message", "data"}) {
				t.Errorf("envelope keys %q, want code, message, data", got)
			}
			data, _ := env.member("data")
			if got := data.(jsonObject).keys(); !slices.Equal(got, []string{"list", "nextCursor"}) {
				t.Errorf("data keys %q, want list, nextCursor", got)
			}
			list, _ := data.(jsonObject).member("list")
			items := list.([]any)
			if len(items) < 2 {
				t.Fatalf("%d items, want at least 2", len(items))
			}
			for _, d := range diffJSON("list", items[:2], want) {
				t.Error(d)
			}
		})
	}
}

// TestWireSeedValues pins the details of the seed page's first item that a
// lax comparison would miss, in the seed page itself and as served.
func TestWireSeedValues(t *testing.T) {
	t.Parallel()
	w := post(&sandbox.Server{}, pathList, `{"qwUserId":"dowen","size":1}`)
	okData(t, w)
	v, err := decodeOrdered(w.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	data, _ := v.(jsonObject).member("data")
	served, _ := data.(jsonObject).member("list")
	sources := []struct {
		name  string
		first jsonObject
	}{
		{name: "seed page", first: seedList(t)[0].(jsonObject)},
		{name: "served", first: served.([]any)[0].(jsonObject)},
	}
	for _, src := range sources {
		id, _ := src.first.member("customerId")
		fields, _ := src.first.member("fields")
		mobile := fields.([]any)[2].(jsonObject)
		mobileValue, _ := mobile.member("valueAsText")
		nickname, present := src.first.member("wechatNickname")
		tags, _ := src.first.member("tagIds")
		tests := []struct {
			name      string
			got, want any
		}{
			{name: "customerId is an exact number", got: id, want: json.Number("398604120668224")},
			{name: "mobile is a JSON array inside a string", got: mobileValue, want: `["110110"]`},
			{name: "null stays null", got: nickname, want: nil},
			{name: "null is present", got: present, want: true},
			{name: "tag ids may repeat", got: tags, want: []any{"etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ", "etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ"}},
		}
		for _, tt := range tests {
			t.Run(src.name+": "+tt.name, func(t *testing.T) {
				t.Parallel()
				if !reflect.DeepEqual(tt.got, tt.want) {
					t.Errorf("got %#v, want %#v", tt.got, tt.want)
				}
			})
		}
	}
}

// TestWireItemShape walks owners (dowen only in part, to keep -race runs
// short: TestListPaging walks all of it) and checks every list item: exactly
// the seed's 13 keys in order, a bare integer id, upstream time strings,
// fields entries of {field, type, valueAsText} starting with the seed's
// system fields, values that are strings or null.
func TestWireItemShape(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	var sysKeys []string
	for _, f := range seedList(t)[0].(jsonObject)[3].Value.([]any) {
		k, _ := f.(jsonObject).member("field")
		sysKeys = append(sysKeys, k.(string))
	}
	tests := []struct {
		name  string
		owner string
		want  int
	}{
		{name: "the seed page's owner, first pages", owner: "dowen", want: 300},
		{name: "a full page and one more", owner: "liuyang", want: 101},
		{name: "two full pages and an empty one", owner: "chenjing", want: 200},
		{name: "the big id", owner: sandbox.BigIDOwner, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			cursor := ""
			for {
				body := fmt.Sprintf(`{"qwUserId":%q,"size":100,"cursor":%q}`, tt.owner, cursor)
				w := post(sb, pathList, body)
				okData(t, w)
				v, err := decodeOrdered(w.Body.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				data, _ := v.(jsonObject).member("data")
				list, _ := data.(jsonObject).member("list")
				for _, it := range list.([]any) {
					checkItemShape(t, it, sysKeys)
					n++
				}
				next, _ := data.(jsonObject).member("nextCursor")
				if next == "" || n >= tt.want {
					break
				}
				cursor = next.(string)
			}
			if n != tt.want {
				t.Errorf("checked %d items, want %d", n, tt.want)
			}
		})
	}
}

func checkItemShape(t *testing.T, v any, sysKeys []string) {
	t.Helper()
	item, ok := v.(jsonObject)
	if !ok {
		t.Fatalf("list item %#v is not an object", v)
	}
	if !slices.Equal(item.keys(), seedItemKeys) {
		t.Fatalf("item keys %q, want %q", item.keys(), seedItemKeys)
	}
	id, _ := item.member("customerId")
	num, ok := id.(json.Number)
	if !ok {
		t.Fatalf("customerId %#v is not a JSON number", id)
	}
	rawID(t, json.RawMessage(num))
	for _, k := range []string{"qwUserId", "wechatNickname", "wechatAvatar", "wechatLocation", "qwRemark", "externalUserId",
		"createTime", "lastUpdateTime", "convertCustomerTime"} {
		if v, _ := item.member(k); v != nil {
			if _, ok := v.(string); !ok {
				t.Errorf("customer %s: %s = %#v, want a string or null", num, k, v)
			}
		}
	}
	for _, k := range []string{"createTime", "lastUpdateTime", "convertCustomerTime"} {
		v, _ := item.member(k)
		if v == nil && k != "convertCustomerTime" {
			t.Errorf("customer %s: %s is null", num, k)
		}
		if s, ok := v.(string); ok {
			if _, err := tanma.ParseTime(s); err != nil || !upstreamTime.MatchString(s) {
				t.Errorf("customer %s: %s = %q, want yyyy-MM-dd HH:mm:ss", num, k, s)
			}
		}
	}
	if typ, _ := item.member("type"); typ != json.Number("1") {
		t.Errorf("customer %s: type = %#v, want 1", num, typ)
	}
	tags, _ := item.member("tagIds")
	tagList, ok := tags.([]any)
	if !ok {
		t.Errorf("customer %s: tagIds = %#v, want an array", num, tags)
	}
	for _, tag := range tagList {
		if _, ok := tag.(string); !ok {
			t.Errorf("customer %s: tag id %#v is not a string", num, tag)
		}
	}
	fields, _ := item.member("fields")
	fieldList, ok := fields.([]any)
	if !ok || len(fieldList) < len(sysKeys) {
		t.Fatalf("customer %s: fields = %#v, want an array of at least %d", num, fields, len(sysKeys))
	}
	for i, f := range fieldList {
		fo, ok := f.(jsonObject)
		if !ok || !slices.Equal(fo.keys(), []string{"field", "type", "valueAsText"}) {
			t.Fatalf("customer %s: fields[%d] = %#v, want {field, type, valueAsText}", num, i, f)
		}
		key, _ := fo.member("field")
		if i < len(sysKeys) && key != sysKeys[i] {
			t.Errorf("customer %s: fields[%d] is %#v, want %q", num, i, key, sysKeys[i])
		}
		if typ, _ := fo.member("type"); !decimalID.MatchString(fmt.Sprint(typ)) {
			t.Errorf("customer %s: fields[%d].type = %#v, want an integer", num, i, typ)
		}
		if val, _ := fo.member("valueAsText"); val != nil {
			if _, ok := val.(string); !ok {
				t.Errorf("customer %s: fields[%d].valueAsText = %#v, want a string or null", num, i, val)
			}
		}
	}
}

// TestWireBigID checks that a customer id past 2^53 is served exactly, as a
// bare JSON integer, by the list and by search.
func TestWireBigID(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	if sandbox.BigID <= 1<<53 {
		t.Fatalf("BigID %d is not past 2^53", sandbox.BigID)
	}
	if int64(float64(sandbox.BigID)) == int64(sandbox.BigID) {
		t.Fatalf("BigID %d survives float64: it proves nothing", sandbox.BigID)
	}
	tests := []struct {
		name string
		path string
		body string
		list string // the member of data holding the items
	}{
		{name: "list", path: pathList, body: `{"qwUserId":"` + sandbox.BigIDOwner + `","size":100}`, list: "list"},
		{name: "search by id", path: pathSearch, body: `{"customerId":9007199254740993,"pageNo":1,"pageSize":10}`, list: "data"},
		{name: "search by owner", path: pathSearch, body: `{"searchKey":"","salesIdList":[` + salesID(t, sandbox.BigIDOwner) + `]}`, list: "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := okData(t, post(sb, tt.path, tt.body))
			var page map[string][]map[string]json.RawMessage
			var raw map[string]json.RawMessage
			if err := json.Unmarshal(data, &raw); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(`{"items":`+string(raw[tt.list])+`}`), &page); err != nil {
				t.Fatal(err)
			}
			items := page["items"]
			if len(items) != 1 {
				t.Fatalf("%d items, want 1: %s", len(items), data)
			}
			if got := string(items[0]["customerId"]); got != "9007199254740993" {
				t.Errorf("customerId on the wire %s, want 9007199254740993", got)
			}
			if got := rawID(t, items[0]["customerId"]); got != int64(sandbox.BigID) {
				t.Errorf("customerId %d, want %d", got, sandbox.BigID)
			}
		})
	}
}
