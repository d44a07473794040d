package graph_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Tanma answering outside its documented shape, through the real handler:
// every answer below is the sandbox's, rewritten on its way to the gateway
// (rewriteUpstream), as a drifting upstream would send it. The gateway
// shows an error at the field or a flagged value, never data that looks
// right.

// seedID is the customer every entry point is asked about (dowen's first).
var seedID = tanma.ID(398604120668224)

// chain puts several upstream rewrites in front of the sandbox.
func chain(wraps ...func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		for _, w := range wraps {
			h = w(h)
		}
		return h
	}
}

// items applies edit to every customer of a list, search or search-by-id
// answer (data.list or data.data).
func items(env map[string]any, edit func(i int, item map[string]any)) {
	data, _ := env["data"].(map[string]any)
	list, _ := data["list"].([]any)
	if list == nil {
		list, _ = data["data"].([]any)
	}
	for i, it := range list {
		if m, ok := it.(map[string]any); ok {
			edit(i, m)
		}
	}
}

// customerEntryPoints are the queries that show one customer, each
// selecting sel: through the owner list, search, customer, node and nodes.
func customerEntryPoints(sel string) map[string]string {
	gid := fmt.Sprintf(`"%s"`, customerGID(seedID))
	return map[string]string{
		"customer": `{ c: customer(id: "` + seedID.String() + `") { ` + sel + ` } }`,
		"node":     `{ c: node(id: ` + gid + `) { ... on Customer { ` + sel + ` } } }`,
		"nodes":    `{ c: nodes(ids: [` + gid + `]) { ... on Customer { ` + sel + ` } } }`,
		"list":     `{ c: customers(ownerId: "dowen", first: 5) { edges { node { customerId ` + sel + ` } } } }`,
		"search":   `{ c: searchCustomers(filter: {ownerIds: ["dowen"]}, first: 5) { edges { node { customerId ` + sel + ` } } } }`,
	}
}

// theCustomer picks the seed customer out of an entry point's answer.
func theCustomer(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v))
	switch c := v.(type) {
	case []any:
		return c[0].(map[string]any)
	case map[string]any:
		edges, isConn := c["edges"].([]any)
		if !isConn {
			return c
		}
		for _, e := range edges {
			if n := e.(map[string]any)["node"].(map[string]any); n["customerId"] == seedID.String() {
				return n
			}
		}
	}
	t.Fatalf("no customer %s in %s", seedID, raw)
	return nil
}

// ask runs q and returns the raw value of its alias c and the errors.
func (e *env) ask(t *testing.T, q string) (json.RawMessage, []gqlError) {
	t.Helper()
	var r struct{ C json.RawMessage }
	errs := e.do(t, q, &r)
	return r.C, errs
}

// TestOneCustomerOneShape: the same customer has the same fields, in the
// field definitions' order, once each, through every entry point, read
// fresh or from what a list left behind, however Tanma ordered and keyed
// its fields array; the top-level stage and name are read from those same
// fields (a stage keyed by its field id has its label; a name listed twice
// is the first, with an error at fields).
func TestOneCustomerOneShape(t *testing.T) {
	t.Parallel()
	scramble := func(_, env map[string]any) {
		_, search := env["data"].(map[string]any)["data"]
		items(env, func(_ int, it map[string]any) {
			fields, _ := it["fields"].([]any)
			// Two fields no definition names (added since they were read).
			if search {
				it["91710"], it["91709"] = "新字段值", 12
			} else {
				fields = append(fields, map[string]any{"field": "91710", "type": 1, "valueAsText": "新字段值"},
					map[string]any{"field": "91709", "type": 4, "valueAsText": "12"})
			}
			slices.Reverse(fields)
			for _, f := range fields {
				if f := f.(map[string]any); f["field"] == tanma.KeyStage {
					f["field"] = "91642" // the stage under its field id
				}
			}
			if it["customerId"] == json.Number(seedID.String()) {
				it["fields"] = append(fields, map[string]any{"field": tanma.KeyName, "type": 1, "valueAsText": "a second name"})
			}
		})
	}
	e := newEnvWith(t, chain(rewriteUpstream(tanma.PathListByQwUserID, scramble), rewriteUpstream(tanma.PathSearchCustomers, scramble)))
	var defs struct{ CustomerFields []struct{ Key string } }
	e.mustDo(t, `{ customerFields { key } }`, &defs)
	order := map[string]int{}
	for i, d := range defs.CustomerFields {
		order[d.Key] = i
	}
	const sel = `name stage { id label } fields { key label kind typeCode text problem }`
	var want map[string]any
	// customer first: read fresh by search; then the list (which leaves its
	// customers behind); then customer again (from what the list left).
	for _, name := range []string{"customer", "list", "node", "nodes", "search", "customer"} {
		raw, errs := e.ask(t, customerEntryPoints(sel)[name])
		got := theCustomer(t, raw)
		delete(got, "customerId")
		fields := got["fields"].([]any)
		keys := make([]string, len(fields))
		for i, f := range fields {
			keys[i] = f.(map[string]any)["key"].(string)
		}
		rank := func(k string) int {
			if r, ok := order[k]; ok {
				return r
			}
			return len(order)
		}
		assert.True(t, slices.IsSortedFunc(keys, func(a, b string) int { return cmp.Or(rank(a)-rank(b), strings.Compare(a, b)) }),
			"%s: fields in the definitions' order, then those no definition names by key: %v", name, keys)
		assert.Equal(t, []string{"91709", "91710"}, keys[len(keys)-2:], name)
		assert.Equal(t, "UNDEFINED_FIELD", fields[len(fields)-1].(map[string]any)["problem"], name)
		assert.Equal(t, 1, countOf(keys, tanma.KeyName), "%s: the name once", name)
		stage, _ := got["stage"].(map[string]any)
		require.NotNil(t, stage, "%s: the stage under its field id is still the stage", name)
		assert.NotNil(t, stage["label"], name)
		assert.NotEqual(t, "a second name", got["name"], name)
		assert.Contains(t, codes(errs), "UPSTREAM_INVALID", "%s: the second name is reported", name)
		if want == nil {
			want = got
			continue
		}
		assert.Equal(t, want, got, "%s shows the customer as customer(id) did", name)
	}
}

func countOf(keys []string, k string) int {
	n := 0
	for _, x := range keys {
		if x == k {
			n++
		}
	}
	return n
}

// walkCustomers pages through a list with first: 50, at most 30 requests,
// and returns the ids shown and the errors of the request it ended on.
func walkCustomers(t *testing.T, e *env, field, args string) ([]string, []gqlError) {
	t.Helper()
	var ids []string
	after := ""
	for range 30 {
		q := fmt.Sprintf(`query($after: String) { c: %s(%s, first: 50, after: $after) { edges { node { customerId } } pageInfo { hasNextPage endCursor } } }`, field, args)
		var r struct {
			C *struct {
				Edges    []struct{ Node struct{ CustomerID string } }
				PageInfo struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		opts := []client.Option{}
		if after != "" {
			opts = append(opts, client.Var("after", after))
		}
		errs := e.do(t, q, &r, opts...)
		if r.C == nil {
			return ids, errs
		}
		for _, edge := range r.C.Edges {
			ids = append(ids, edge.Node.CustomerID)
		}
		if !r.C.PageInfo.HasNextPage || len(errs) > 0 {
			return ids, errs
		}
		after = *r.C.PageInfo.EndCursor
	}
	t.Fatalf("%s never ended", field)
	return nil, nil
}

// TestWalksThatRepeatEnd: a cursor Tanma already gave in this walk (its own
// again, or an earlier page's), and search pages that repeat (a page number
// ignored), end the connection with UPSTREAM_INVALID at that field: the
// walk ends, and no customer is shown twice.
func TestWalksThatRepeatEnd(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var cursors []string // every nextCursor the list gave, in order
	earlier := func(req, env map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		data := env["data"].(map[string]any)
		if next, _ := data["nextCursor"].(string); next != "" {
			cursors = append(cursors, next)
		}
		if len(cursors) >= 3 {
			data["nextCursor"] = cursors[0] // back to the second page
		}
	}
	same := func(req, env map[string]any) {
		if c, _ := req["cursor"].(string); c != "" {
			env["data"].(map[string]any)["nextCursor"] = c
		}
	}
	var firstPage any
	ignoresPageNo := func(req, env map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		if firstPage == nil {
			firstPage = env["data"].(map[string]any)["data"]
		}
		env["data"].(map[string]any)["data"] = firstPage
	}
	for _, tc := range []struct {
		name, field, args, path string
		edit                    func(req, env map[string]any)
	}{
		{"its own cursor", "customers", `ownerId: "wangfang"`, tanma.PathListByQwUserID, same},
		{"an earlier page's cursor", "customers", `ownerId: "wangfang"`, tanma.PathListByQwUserID, earlier},
		{"search pages that repeat", "searchCustomers", `filter: {}`, tanma.PathSearchCustomers, ignoresPageNo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvWith(t, rewriteUpstream(tc.path, tc.edit))
			ids, errs := walkCustomers(t, e, tc.field, tc.args)
			require.NotEmpty(t, errs, "the walk ends with an error")
			assert.Equal(t, []string{"UPSTREAM_INVALID"}, codes(errs))
			assert.Equal(t, []any{"c"}, errs[0].Path)
			seen := map[string]bool{}
			for _, id := range ids {
				assert.False(t, seen[id], "customer %s shown twice", id)
				seen[id] = true
			}
			assert.NotEmpty(t, ids, "the pages before are served")
		})
	}
}

// TestOneBrokenCustomerKeepsItsPage: a value of the wrong JSON type, a type
// code sent as text and an odd tagIds entry cost that customer those
// values (flagged WRONG_TYPE, errors at their paths), not its page; through
// the list, search and customer(id).
func TestOneBrokenCustomerKeepsItsPage(t *testing.T) {
	t.Parallel()
	var tagID string
	break2 := func(_, env map[string]any) {
		items(env, func(i int, it map[string]any) {
			if it["customerId"] != json.Number(seedID.String()) {
				return
			}
			for _, f := range it["fields"].([]any) {
				switch f := f.(map[string]any); f["field"] {
				case tanma.KeyAddress:
					f["valueAsText"] = 42
				case tanma.KeyGender, "91641":
					f["type"] = "2"
				}
			}
			it["tagIds"] = []any{7, tagID, nil}
		})
	}
	e := newEnvWith(t, chain(rewriteUpstream(tanma.PathListByQwUserID, break2), rewriteUpstream(tanma.PathSearchCustomers, break2)))
	var lib struct {
		TagGroups []struct{ Tags []struct{ QwTagID string } }
	}
	e.mustDo(t, `{ tagGroups { tags { qwTagId } } }`, &lib)
	tagID = lib.TagGroups[0].Tags[0].QwTagID
	const sel = `address gender tags { qwTagId } fields { key text problem }`
	for _, name := range []string{"list", "search", "customer"} {
		raw, errs := e.ask(t, customerEntryPoints(sel)[name])
		if name != "customer" {
			var conn struct{ Edges []any }
			require.NoError(t, json.Unmarshal(raw, &conn))
			assert.Len(t, conn.Edges, 5, "%s: the page is served whole", name)
		}
		got := theCustomer(t, raw)
		assert.Nil(t, got["address"], name)
		assert.Nil(t, got["gender"], name)
		assert.Equal(t, []any{map[string]any{"qwTagId": tagID}}, got["tags"], "%s: the tag ids that are text", name)
		problems := map[string]any{}
		for _, f := range got["fields"].([]any) {
			f := f.(map[string]any)
			problems[f["key"].(string)] = f["problem"]
			if f["key"] == tanma.KeyAddress {
				assert.Equal(t, "42", f["text"], "%s: its JSON text is kept", name)
			}
		}
		assert.Equal(t, "WRONG_TYPE", problems[tanma.KeyAddress], name)
		assert.Equal(t, "WRONG_TYPE", problems[tanma.KeyGender], name)
		paths := map[string]bool{}
		for _, err := range errs {
			assert.Equal(t, "UPSTREAM_INVALID", err.Extensions["code"], name)
			paths[fmt.Sprint(err.Path[len(err.Path)-1])] = true
		}
		assert.Equal(t, map[string]bool{"address": true, "gender": true, "tags": true}, paths, "%s: an error at each value's path", name)
	}
}

// TestSearchValuesOfTheWrongType: a search item's value keyed by field id
// (its JSON type not documented) that cannot be the field's value (an
// object, a boolean, a number for text, an array for a number) is
// WRONG_TYPE, as the same value in a list's valueAsText is; a number for a
// number field or an array for a phone field is read.
func TestSearchValuesOfTheWrongType(t *testing.T) {
	t.Parallel()
	var defs struct {
		CustomerFields []struct {
			FieldID, Key, Kind string
			System             bool
		}
	}
	newEnv(t).mustDo(t, `{ customerFields { fieldId key kind system } }`, &defs)
	byKind := map[string]string{} // a custom field's id of each kind
	keyOf := map[string]string{}
	for _, d := range defs.CustomerFields {
		if !d.System && byKind[d.Kind] == "" {
			byKind[d.Kind], keyOf[d.Kind] = d.FieldID, d.Key
		}
	}
	for _, kind := range []string{"TEXT", "NUMBER", "PHONE"} {
		require.NotEmpty(t, byKind[kind], "the sandbox has a custom %s field", kind)
	}
	values := map[string]any{"TEXT": map[string]any{"a": 1}, "NUMBER": []any{"1"}}
	e := newEnvWith(t, rewriteUpstream(tanma.PathSearchCustomers, func(_, env map[string]any) {
		items(env, func(_ int, it map[string]any) {
			if it["customerId"] == json.Number(seedID.String()) {
				for kind, v := range values {
					it[byKind[kind]] = v
				}
				it[byKind["PHONE"]] = []any{"13800000001"}
			}
		})
	}))
	raw, _ := e.ask(t, `{ c: customer(id: "`+seedID.String()+`") { fields { key text problem ... on PhoneCustomerField { phones } } } }`)
	got := map[string]map[string]any{}
	var c struct{ Fields []map[string]any }
	require.NoError(t, json.Unmarshal(raw, &c))
	for _, f := range c.Fields {
		got[f["key"].(string)] = f
	}
	assert.Equal(t, "WRONG_TYPE", got[keyOf["TEXT"]]["problem"], "an object for text")
	assert.Equal(t, "WRONG_TYPE", got[keyOf["NUMBER"]]["problem"], "an array for a number")
	assert.Nil(t, got[keyOf["PHONE"]]["problem"], "an array for a phone field is its value")
}

// TestMissingDataIsAnError: a null data, a null list, a search page empty
// while its total says more, a null page in the middle of a walk, and a
// search by id whose data is null are UPSTREAM_INVALID at the field: never
// "no customers" or "no customer has this id".
func TestMissingDataIsAnError(t *testing.T) {
	t.Parallel()
	nullData := func(_, env map[string]any) { env["data"] = nil }
	nullList := func(_, env map[string]any) { env["data"].(map[string]any)["list"] = nil }
	nullSearchData := func(_, env map[string]any) { env["data"].(map[string]any)["data"] = nil }
	emptySearchPage := func(_, env map[string]any) {
		data := env["data"].(map[string]any)
		data["data"], data["totalCount"] = []any{}, 250
	}
	nullSecondPage := func(req, env map[string]any) {
		if c, _ := req["cursor"].(string); c != "" {
			env["data"] = nil
		}
	}
	for _, tc := range []struct {
		name, path, query string
		edit              func(req, env map[string]any)
		walk              bool // the error comes on the second page
	}{
		{"list, data null", tanma.PathListByQwUserID, `{ c: customers(ownerId: "lina") { edges { cursor } } }`, nullData, false},
		{"list, list null", tanma.PathListByQwUserID, `{ c: customers(ownerId: "lina") { edges { cursor } } }`, nullList, false},
		{"list, a null page mid-walk", tanma.PathListByQwUserID, "", nullSecondPage, true},
		{"search, data null", tanma.PathSearchCustomers, `{ c: searchCustomers { edges { cursor } } }`, nullData, false},
		{"search, no data array", tanma.PathSearchCustomers, `{ c: searchCustomers { edges { cursor } } }`, nullSearchData, false},
		{"search, an empty page while the total says more", tanma.PathSearchCustomers, `{ c: searchCustomers { edges { cursor } totalCount } }`, emptySearchPage, false},
		{"customer, data null", tanma.PathSearchCustomers, `{ c: customer(id: "398604120668224") { name } }`, nullData, false},
		{"node, no data array", tanma.PathSearchCustomers, `{ c: node(id: "` + customerGID(seedID) + `") { id } }`, nullSearchData, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnvWith(t, rewriteUpstream(tc.path, tc.edit))
			var errs []gqlError
			if tc.walk {
				ids, werrs := walkCustomers(t, e, "customers", `ownerId: "wangfang"`)
				assert.Len(t, ids, 50, "the first page is served")
				errs = werrs
			} else {
				raw, qerrs := e.ask(t, tc.query)
				assert.Equal(t, "null", string(raw), "the field is null, not empty")
				errs = qerrs
			}
			require.Len(t, errs, 1)
			assert.Equal(t, "UPSTREAM_INVALID", errs[0].Extensions["code"])
			assert.Equal(t, []any{"c"}, errs[0].Path)
		})
	}
}

// TestNoMadeUpIDs: a list element that is null or has no customerId is
// left out with an error at the connection (extensions.leftOut), never
// shown as customer "0"; a search by id answering such an item is
// UPSTREAM_INVALID, not NOT_FOUND; follow-ups likewise.
func TestNoMadeUpIDs(t *testing.T) {
	t.Parallel()
	idless := func(req, env map[string]any) {
		if c, _ := req["cursor"].(string); c != "" {
			return // the first page only
		}
		data := env["data"].(map[string]any)
		key := "list"
		if _, ok := data["data"]; ok {
			key = "data"
		}
		list := data[key].([]any)
		second := list[1].(map[string]any)
		delete(second, "customerId")
		delete(second, "id") // a follow-up's
		list[0] = nil
		data[key] = list
	}
	e := newEnvWith(t, chain(rewriteUpstream(tanma.PathListByQwUserID, idless), rewriteUpstream(tanma.PathListFollowUps, idless)))
	for name, q := range map[string]string{
		"list":      `{ c: customers(ownerId: "wangfang", first: 10) { edges { node { customerId } } } }`,
		"followUps": `{ c: customer(id: "398604120668224") { followUps(first: 10) { edges { node { followUpId } } } } }`,
	} {
		raw, errs := e.ask(t, q)
		assert.NotContains(t, string(raw), `"customerId":"0"`, name)
		assert.NotContains(t, string(raw), `"followUpId":"0"`, name)
		require.Len(t, errs, 1, name)
		assert.Equal(t, "UPSTREAM_INVALID", errs[0].Extensions["code"], name)
		assert.EqualValues(t, 2, errs[0].Extensions["leftOut"], name)
	}
	var list struct{ C struct{ Edges []any } }
	e.do(t, `{ c: customers(ownerId: "wangfang", first: 10) { edges { node { customerId } } } }`, &list)
	assert.Len(t, list.C.Edges, 10, "the rest of the page fills the connection")

	search := newEnvWith(t, rewriteUpstream(tanma.PathSearchCustomers, func(_, env map[string]any) {
		items(env, func(_ int, it map[string]any) { delete(it, "customerId") })
	}))
	for _, q := range []string{`{ c: customer(id: "398604120668224") { name } }`, `{ c: node(id: "` + customerGID(seedID) + `") { id } }`} {
		raw, errs := search.ask(t, q)
		assert.Equal(t, "null", string(raw))
		assert.Equal(t, []string{"UPSTREAM_INVALID"}, codes(errs), "not NOT_FOUND: the item may be the customer")
	}
	raw, errs := search.ask(t, `{ c: searchCustomers(first: 5) { edges { node { customerId } } } }`)
	assert.NotContains(t, string(raw), `"customerId":"0"`)
	assert.Equal(t, []string{"UPSTREAM_INVALID"}, codes(errs), "%v", errs)
}

// TestOnceAPage: a customer Tanma lists twice in one page (list or
// search) is shown once, the second listing left out with an error at the
// connection; a search by id answering other customers is UPSTREAM_INVALID,
// not "no customer has this id".
func TestOnceAPage(t *testing.T) {
	t.Parallel()
	twice := func(_, env map[string]any) {
		data := env["data"].(map[string]any)
		key := "list"
		if _, ok := data["data"]; ok {
			key = "data"
		}
		if list, _ := data[key].([]any); len(list) > 2 {
			data[key] = append(list[:2:2], append([]any{list[1]}, list[2:]...)...)
		}
	}
	e := newEnvWith(t, chain(rewriteUpstream(tanma.PathListByQwUserID, twice), rewriteUpstream(tanma.PathSearchCustomers, twice)))
	for name, q := range map[string]string{
		"list":   `{ c: customers(ownerId: "wangfang", first: 10) { edges { node { customerId } } } }`,
		"search": `{ c: searchCustomers(first: 10) { edges { node { customerId } } } }`,
	} {
		var r struct {
			C struct {
				Edges []struct{ Node struct{ CustomerID string } }
			}
		}
		errs := e.do(t, q, &r)
		ids := map[string]int{}
		for _, edge := range r.C.Edges {
			ids[edge.Node.CustomerID]++
		}
		assert.Len(t, ids, len(r.C.Edges), "%s: every customer once", name)
		assert.Len(t, r.C.Edges, 10, "%s: the rest of the pages fill the connection", name)
		require.Len(t, errs, 1, name)
		assert.Equal(t, "UPSTREAM_INVALID", errs[0].Extensions["code"], name)
		assert.EqualValues(t, 1, errs[0].Extensions["leftOut"], name)
		assert.Equal(t, []any{"c"}, errs[0].Path, name)
	}

	others := newEnvWith(t, rewriteUpstream(tanma.PathSearchCustomers, func(req, env map[string]any) {
		items(env, func(_ int, it map[string]any) { it["customerId"] = json.Number("398604120668225") })
	}))
	for _, q := range []string{`{ c: customer(id: "398604120668224") { name } }`, `{ c: node(id: "` + customerGID(seedID) + `") { id } }`} {
		raw, errs := others.ask(t, q)
		assert.Equal(t, "null", string(raw))
		assert.Equal(t, []string{"UPSTREAM_INVALID"}, codes(errs), "not NOT_FOUND: the search ignored its filter")
	}
}

// TestNoMadeUpStaff: a staff directory entry that is null, has no
// qwUserId, or repeats one is left out (never a staff member ""), with an
// error at the staff connection; the others are served.
func TestNoMadeUpStaff(t *testing.T) {
	t.Parallel()
	var whole struct {
		Staff struct {
			Edges []struct{ Node struct{ QwUserID string } }
		}
	}
	newEnv(t).mustDo(t, `{ staff(first: 100) { edges { node { qwUserId } } } }`, &whole)
	e := newEnvWith(t, rewriteUpstream(tanma.PathGetUsers, func(req, env map[string]any) {
		data := env["data"].(map[string]any)
		result, _ := data["result"].([]any)
		if len(result) < 2 {
			return
		}
		first := result[0].(map[string]any)
		delete(result[1].(map[string]any), "qwUserId")
		data["result"] = append(result, nil, map[string]any{"qwUserId": first["qwUserId"], "name": "again"})
	}))
	var got struct {
		Staff struct {
			Edges []struct {
				Node struct{ QwUserID, Name string }
			}
		}
	}
	errs := e.do(t, `{ staff(first: 100) { edges { node { qwUserId name } } } }`, &got)
	require.Len(t, errs, 1)
	assert.Equal(t, "UPSTREAM_INVALID", errs[0].Extensions["code"])
	assert.EqualValues(t, 3, errs[0].Extensions["leftOut"])
	assert.Equal(t, []any{"staff"}, errs[0].Path)
	assert.Len(t, got.Staff.Edges, len(whole.Staff.Edges)-1, "every other staff member is served")
	for _, edge := range got.Staff.Edges {
		assert.NotEmpty(t, edge.Node.QwUserID)
		assert.NotEqual(t, "again", edge.Node.Name, "the first listing is kept")
	}

	// The staff member whose entry was left out is not "unknown": nothing
	// can say who it is, so its name, departments, being searched by, or
	// receiving customers are UPSTREAM_INVALID, never null, [] or "no such
	// staff member".
	unread := whole.Staff.Edges[1].Node.QwUserID
	for _, q := range []string{
		`{ staffMember(qwUserId: "` + unread + `") { name } }`,
		`{ staffMember(qwUserId: "` + unread + `") { former } }`,
		`{ staffMember(qwUserId: "` + unread + `") { departments { name } } }`,
		`{ searchCustomers(filter: {ownerIds: ["` + unread + `"]}) { totalCount } }`,
		`mutation { customersTransfer(input: {customerIds: ["1"], toStaffId: "` + unread + `"}) { transferredCount } }`,
	} {
		assert.Equal(t, []string{"UPSTREAM_INVALID"}, codes(e.do(t, q, nil)), q)
	}
}

// TestReferenceDataKeepsItsGoodEntries: one field definition or tag entry
// outside the documented shape (null, a type code as text, an id that is
// not a number, a tag without qwTagId, a group that is not an object) is
// left out with an error at customerFields or tagGroups; the other
// definitions and tags are served, and customers are still typed by them.
func TestReferenceDataKeepsItsGoodEntries(t *testing.T) {
	t.Parallel()
	var whole struct {
		CustomerFields []struct{ Key string }
		TagGroups      []struct{ Tags []struct{ QwTagID string } }
	}
	const q = `{ customerFields { key } tagGroups { tags { qwTagId } } }`
	newEnv(t).mustDo(t, q, &whole)
	e := newEnvWith(t, chain(
		rewriteUpstream(tanma.PathListFields, func(_, env map[string]any) {
			fields := env["data"].(map[string]any)["fields"].([]any)
			fields[len(fields)-1].(map[string]any)["type"] = "2"
			env["data"].(map[string]any)["fields"] = append(fields, nil)
		}),
		rewriteUpstream(tanma.PathTagTree, func(_, env map[string]any) {
			groups := env["data"].([]any)
			tags := groups[0].(map[string]any)["tags"].([]any)
			delete(tags[0].(map[string]any), "qwTagId")
			tags[1].(map[string]any)["id"] = "x"
			groups[1].(map[string]any)["tags"] = nil
			env["data"] = append(groups, "not a group")
		})))
	var got struct {
		CustomerFields []struct{ Key string }
		TagGroups      []struct{ Tags []struct{ QwTagID string } }
	}
	errs := e.do(t, q, &got)
	leftOut := map[string]any{}
	for _, err := range errs {
		assert.Equal(t, "UPSTREAM_INVALID", err.Extensions["code"])
		leftOut[fmt.Sprint(err.Path...)] = err.Extensions["leftOut"]
	}
	assert.Equal(t, map[string]any{"customerFields": float64(2), "tagGroups": float64(4)}, leftOut)
	assert.Equal(t, whole.CustomerFields[:len(whole.CustomerFields)-1], got.CustomerFields, "the other definitions, in order")
	require.Len(t, got.TagGroups, len(whole.TagGroups)-1, "a group without its tags array is left out, not shown empty")
	assert.Equal(t, whole.TagGroups[0].Tags[2:], got.TagGroups[0].Tags, "the group's other tags")
	assert.Equal(t, whole.TagGroups[2:], got.TagGroups[1:])

	var c struct {
		Customer struct{ Fields []struct{ Problem *string } }
	}
	e.do(t, `{ customer(id: "`+seedID.String()+`") { fields { problem } } }`, &c)
	require.NotEmpty(t, c.Customer.Fields)
	undefined := 0
	for _, f := range c.Customer.Fields {
		if f.Problem != nil {
			assert.Equal(t, "UNDEFINED_FIELD", *f.Problem, "the customer is typed by the other definitions")
			undefined++
		}
	}
	assert.LessOrEqual(t, undefined, 1, "only the left-out definition's field is undefined")
}

// TestStrictReading: a number in hex, a date with an impossible time and a
// phone number in exponent form are MALFORMED (null typed values), and the
// top-level birthday and mobiles say so at their paths.
func TestStrictReading(t *testing.T) {
	t.Parallel()
	oddValues := func(_, env map[string]any) {
		items(env, func(_ int, it map[string]any) {
			if it["customerId"] != json.Number(seedID.String()) {
				return
			}
			fields := it["fields"].([]any)
			for _, f := range fields {
				switch f := f.(map[string]any); f["field"] {
				case tanma.KeyBirthday:
					f["valueAsText"] = "1990-05-17 25:99:99"
				case tanma.KeyMobile:
					f["valueAsText"] = `[1.38e10]`
				}
			}
			it["fields"] = append(fields,
				map[string]any{"field": tanma.KeyBirthday, "type": 3, "valueAsText": "1990-05-17 25:99:99"},
				map[string]any{"field": "133173", "type": 4, "valueAsText": "0x1p4"})
		})
	}
	e := newEnvWith(t, chain(rewriteUpstream(tanma.PathListByQwUserID, oddValues), rewriteUpstream(tanma.PathSearchCustomers, oddValues)))
	const sel = `birthday mobiles fields { key text problem ... on NumberCustomerField { number } ... on DateCustomerField { date } ... on PhoneCustomerField { phones } }`
	for _, name := range []string{"list", "customer"} {
		raw, errs := e.ask(t, customerEntryPoints(sel)[name])
		got := theCustomer(t, raw)
		assert.Nil(t, got["birthday"], name)
		assert.Equal(t, []any{}, got["mobiles"], name)
		for _, f := range got["fields"].([]any) {
			f := f.(map[string]any)
			switch f["key"] {
			case "133173":
				assert.Nil(t, f["number"], "%s: 0x1p4 is not 16", name)
				assert.Equal(t, "MALFORMED", f["problem"], name)
			case tanma.KeyBirthday:
				assert.Nil(t, f["date"], name)
				assert.Equal(t, "MALFORMED", f["problem"], name)
			case tanma.KeyMobile:
				assert.Equal(t, []any{}, f["phones"], name)
				assert.Equal(t, "MALFORMED", f["problem"], name)
			}
		}
		paths := map[string]bool{}
		for _, err := range errs {
			paths[fmt.Sprint(err.Path[len(err.Path)-1])] = true
		}
		assert.True(t, paths["birthday"] && paths["mobiles"], "%s: %v", name, errs)
	}
}

// TestSearchByFormerStaff: a search filter may name a staff member who
// left, as staffMember and node know them; a scoped caller may not name
// one outside its scope.
func TestSearchByFormerStaff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := `{ c: searchCustomers(filter: {ownerIds: ["` + sandbox.FormerStaff.QwUserID + `"]}) { totalCount } }`
	raw, errs := e.ask(t, q)
	require.Empty(t, errs)
	assert.JSONEq(t, `{"totalCount":0}`, string(raw))
	_, errs = e.as(scopedTo("lina")).ask(t, q)
	assert.Equal(t, []string{"FORBIDDEN"}, codes(errs))
}

// TestSearchByNumericTagID: the tagIds filter takes Tanma's numeric tag id
// (Tag.tagId) as it takes a Tag id or a WeChat tag id.
func TestSearchByNumericTagID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var lib struct {
		TagGroups []struct {
			Tags []struct{ ID, TagID, QwTagID string }
		}
	}
	e.mustDo(t, `{ tagGroups { tags { id tagId qwTagId } } }`, &lib)
	tag := lib.TagGroups[0].Tags[0]
	var totals []any
	for _, id := range []string{tag.ID, tag.TagID, tag.QwTagID} {
		raw, errs := e.ask(t, `{ c: searchCustomers(filter: {tagIds: ["`+id+`"]}) { totalCount } }`)
		require.Empty(t, errs, id)
		var r struct{ TotalCount int }
		require.NoError(t, json.Unmarshal(raw, &r))
		totals = append(totals, r.TotalCount)
	}
	assert.Equal(t, totals[0], totals[1])
	assert.Equal(t, totals[0], totals[2])
	assert.NotZero(t, totals[0])
}

// TestCustomFieldNamedLikeASystemField: a tenant's custom field labelled
// 客户阶段, listed before Tanma's own, does not take the stage's key: the
// stage keeps its label, and the custom field its own key.
func TestCustomFieldNamedLikeASystemField(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, rewriteUpstream(tanma.PathListFields, func(_, env map[string]any) {
		data := env["data"].(map[string]any)
		fields := data["fields"].([]any)
		custom := map[string]any{"id": 133999, "name": "客户阶段", "type": 2, "outerField": nil, "stable": false,
			"items": []any{map[string]any{"id": 1, "name": "自定义"}}}
		data["fields"] = append([]any{custom}, fields...)
	}))
	raw, errs := e.ask(t, `{ c: customer(id: "398604120668224") { stage { id label } } }`)
	require.Empty(t, errs)
	assert.JSONEq(t, `{"stage":{"id":"396823724189760","label":"初步接触"}}`, string(raw))
	var defs struct {
		CustomerFields []struct{ FieldID, Key string }
	}
	e.mustDo(t, `{ customerFields { fieldId key } }`, &defs)
	for _, d := range defs.CustomerFields {
		if d.FieldID == "133999" {
			assert.Equal(t, "133999", d.Key)
		}
	}
}

func customerGID(id tanma.ID) string { return relay.GlobalID(model.TypeCustomer, id.String()) }

// scopedTo is an API-key caller that may see only these staff members.
func scopedTo(staff ...string) auth.Caller {
	return auth.Caller{ID: "rep", Kind: auth.KindAPIKey, StaffIDs: staff}
}

// TestProblemsAtTheirWholePath: a value shown as null for being outside
// the documented shape is reported at its whole path, aliases and list
// indexes included, wherever the customer appears.
func TestProblemsAtTheirWholePath(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, rewriteUpstream(tanma.PathSearchCustomers, func(_, env map[string]any) {
		items(env, func(_ int, it map[string]any) { it["qwRemark"] = 42 })
	}))
	gid := customerGID(seedID)
	for _, tc := range []struct {
		query string
		path  []any
	}{
		{`{ c: customer(id: "398604120668224") { r: remark } }`, []any{"c", "r"}},
		{`{ c: node(id: "` + gid + `") { ... on Customer { remark } } }`, []any{"c", "remark"}},
		{`{ c: nodes(ids: ["` + gid + `", "` + gid + `"]) { ... on Customer { remark } } }`, []any{"c", float64(0), "remark"}},
		{`mutation { u: customerUpdate(input: {id: "398604120668224", fields: [{key: "description", text: "x"}]}) { who: customer { remark } } }`,
			[]any{"u", "who", "remark"}},
	} {
		var r map[string]any
		errs := e.do(t, tc.query, &r)
		require.NotEmpty(t, errs, tc.query)
		assert.Equal(t, tc.path, errs[0].Path, tc.query)
		assert.Equal(t, "UPSTREAM_INVALID", errs[0].Extensions["code"], tc.query)
	}

	// A transfer's results: each customer's problem at its result's index,
	// under every alias of results that shows customers.
	moving := transferable(t, e, "zhoutao", 1)[0].CustomerID.String()
	var r map[string]any
	errs := e.do(t, `mutation($in: CustomersTransferInput!) { t: customersTransfer(input: $in) {
		rs: results { ok who: customer { remark } } again: results { customer { remark } } } }`, &r,
		client.Var("in", map[string]any{"customerIds": []string{"999", moving}, "toStaffId": "zhaolei"}))
	paths := make([][]any, len(errs))
	for i, err := range errs {
		paths[i] = err.Path
		assert.Equal(t, "UPSTREAM_INVALID", err.Extensions["code"])
	}
	assert.ElementsMatch(t, [][]any{{"t", "rs", float64(1), "who", "remark"}, {"t", "again", float64(1), "customer", "remark"}}, paths)
}
