package graph_test

import (
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEmptyAfterIsTheFirstPage: after: "" means the first page, as no
// cursor does, on every connection (genqlient and other clients that send
// every declared variable send "" for an unset String), and its endCursor
// continues the walk. before: "" is no cursor either.
func TestEmptyAfterIsTheFirstPage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		query string // $after is the connection's after; the connection is at path
		path  []string
		id    string // the node's field compared
	}{
		{name: "customers", query: `query($after: String) { c: customers(ownerId: "dowen", first: 3, after: $after) { ...Page } }`,
			path: []string{"c"}, id: "customerId"},
		{name: "customers with before empty", query: `query($after: String) { c: customers(ownerId: "dowen", first: 3, after: $after, before: "") { ...Page } }`,
			path: []string{"c"}, id: "customerId"},
		{name: "customers created since", query: `query($after: String) { c: customers(ownerId: "dowen", first: 3, after: $after, createdSince: "2020-01-01T00:00:00+08:00") { ...Page } }`,
			path: []string{"c"}, id: "customerId"},
		{name: "Staff.customers", query: `query($after: String) { s: staffMember(qwUserId: "lina") { c: customers(first: 3, after: $after) { ...Page } } }`,
			path: []string{"s", "c"}, id: "customerId"},
		{name: "searchCustomers", query: `query($after: String) { c: searchCustomers(filter: {ownerIds: ["dowen"]}, first: 3, after: $after) { ...Page } }`,
			path: []string{"c"}, id: "customerId"},
		{name: "staff", query: `query($after: String) { c: staff(first: 2, after: $after) { ...Page } }`,
			path: []string{"c"}, id: "qwUserId"},
		{name: "Customer.followUps", query: `query($after: String) { x: customer(id: "398604120668224") { c: followUps(first: 2, after: $after) { ...Page } } }`,
			path: []string{"x", "c"}, id: "followUpId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			on := map[string]string{"customerId": "Customer", "qwUserId": "Staff", "followUpId": "FollowUp"}[tc.id]
			query := tc.query + ` fragment Page on ` + on + `Connection { edges { node { ` + tc.id + ` } } pageInfo { hasNextPage hasPreviousPage endCursor } }`
			page := func(after any) connectionPage {
				t.Helper()
				var data map[string]any
				e.mustDo(t, query, &data, client.Var("after", after))
				return readPage(t, data, tc.path, tc.id)
			}
			none, empty := page(nil), page("")
			require.NotEmpty(t, none.IDs)
			assert.Equal(t, none.IDs, empty.IDs, `after: "" lists the first page`)
			assert.Equal(t, none.HasNextPage, empty.HasNextPage)
			assert.False(t, empty.HasPreviousPage, `after: "" is no cursor: no previous page`)
			require.True(t, empty.HasNextPage, "the test needs a second page")
			next := page(empty.EndCursor)
			require.NotEmpty(t, next.IDs)
			assert.True(t, next.HasPreviousPage)
			assert.NotContains(t, none.IDs, next.IDs[0], "the endCursor of the page asked with after: \"\" continues after it")
		})
	}
}

// connectionPage is what TestEmptyAfterIsTheFirstPage compares of a page.
type connectionPage struct {
	IDs                          []string
	HasNextPage, HasPreviousPage bool
	EndCursor                    string
}

// readPage reads the connection at path of a response's data.
func readPage(t *testing.T, data map[string]any, path []string, id string) connectionPage {
	t.Helper()
	var v any = data
	for _, p := range path {
		m, ok := v.(map[string]any)
		require.True(t, ok, "no %s in %v", p, v)
		v = m[p]
	}
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	var c struct {
		Edges []struct {
			Node map[string]any
		}
		PageInfo struct {
			HasNextPage, HasPreviousPage bool
			EndCursor                    *string
		}
	}
	require.NoError(t, json.Unmarshal(raw, &c))
	out := connectionPage{HasNextPage: c.PageInfo.HasNextPage, HasPreviousPage: c.PageInfo.HasPreviousPage}
	if c.PageInfo.EndCursor != nil {
		out.EndCursor = *c.PageInfo.EndCursor
	}
	for _, e := range c.Edges {
		out.IDs = append(out.IDs, e.Node[id].(string))
	}
	return out
}
