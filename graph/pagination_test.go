package graph_test

import (
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

const pageQuery = `query($owner: ID!, $first: Int, $after: String) {
  customers(ownerId: $owner, first: $first, after: $after) {
    edges { cursor node { customerId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`

type pageResp struct {
	Customers struct {
		Edges []struct {
			Cursor string
			Node   struct{ CustomerID string }
		}
		PageInfo struct {
			HasNextPage, HasPreviousPage bool
			StartCursor, EndCursor       *string
		}
	}
}

// walk pages through an owner's customers and returns their ids in order,
// checking the Relay invariants of every page on the way.
func walk(t *testing.T, e *env, owner string, first int) []string {
	t.Helper()
	var ids []string
	var after *string
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10000, "walk does not end")
		var r pageResp
		e.mustDo(t, pageQuery, &r, client.Var("owner", owner), client.Var("first", first), client.Var("after", after))
		c := r.Customers
		assert.Equal(t, after != nil, c.PageInfo.HasPreviousPage)
		if len(c.Edges) == 0 {
			require.Nil(t, after, "an empty page may only be the first page of an empty list")
			require.False(t, c.PageInfo.HasNextPage)
			require.Nil(t, c.PageInfo.EndCursor)
			return ids
		}
		require.LessOrEqual(t, len(c.Edges), first)
		if c.PageInfo.HasNextPage {
			require.Len(t, c.Edges, first, "a page followed by more must be full")
		}
		require.Equal(t, c.Edges[0].Cursor, *c.PageInfo.StartCursor)
		require.Equal(t, c.Edges[len(c.Edges)-1].Cursor, *c.PageInfo.EndCursor)
		for _, edge := range c.Edges {
			ids = append(ids, edge.Node.CustomerID)
		}
		if !c.PageInfo.HasNextPage {
			return ids
		}
		after = c.PageInfo.EndCursor
	}
}

func TestWalkYieldsEveryCustomerOnceInUpstreamOrder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, owner string
		firsts      []int
	}{
		{"over a thousand customers", "dowen", []int{100, 37, 20}},
		{"no customers", "zhaolei", []int{1, 100}},
		{"exactly two upstream pages", "chenjing", []int{100, 50, 30, 1}},
		{"exactly one upstream page", "majun", []int{100, 99, 7}},
		{"just under a page", "zhoutao", []int{100, 33}},
		{"just over a page", "liuyang", []int{100, 101 - 1, 50}},
		{"one customer with an id past 2^53", "xiehua", []int{1, 20}},
	}
	for _, tc := range cases {
		for _, first := range tc.firsts {
			t.Run(fmt.Sprintf("%s/first=%d", tc.name, first), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				want := []string{}
				for _, c := range e.sb.Data().CustomersOf(tc.owner) {
					want = append(want, c.CustomerID.String())
				}
				got := walk(t, e, tc.owner, first)
				if got == nil {
					got = []string{}
				}
				require.Equal(t, want, got)
				// Upstream cost: pages are fetched at first+1 and what a
				// request leaves of its page is kept for the next one, so a
				// walk costs one call per GraphQL page (the first page of an
				// empty list costs one too), and one more when the list
				// ends exactly on an upstream page.
				graphqlPages := int64(max(1, (len(want)+first-1)/first))
				assert.LessOrEqual(t, e.sb.Calls(tanma.PathListByQwUserID), graphqlPages+1)
			})
		}
	}
}

func TestAlignedWalkCostsOneUpstreamCallPerPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := walk(t, e, "dowen", 100)
	require.Len(t, ids, 1234)
	// 13 upstream pages; the cursor of a page's last item carries the next
	// upstream cursor, so no page is fetched twice.
	assert.Equal(t, int64(13), e.sb.Calls(tanma.PathListByQwUserID))
}

func TestStaffCustomersIsTheSameList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var viaQuery pageResp
	e.mustDo(t, pageQuery, &viaQuery, client.Var("owner", "lina"), client.Var("first", 5))
	var viaStaff struct {
		StaffMember struct {
			ID        string
			Customers struct {
				Edges []struct{ Node struct{ CustomerID string } }
			}
		}
	}
	e.mustDo(t, `{ staffMember(qwUserId: "lina") { id customers(first: 5) { edges { node { customerId } } } } }`, &viaStaff)
	require.Len(t, viaStaff.StaffMember.Customers.Edges, 5)
	for i, edge := range viaStaff.StaffMember.Customers.Edges {
		assert.Equal(t, viaQuery.Customers.Edges[i].Node.CustomerID, edge.Node.CustomerID)
	}
	// A Staff global id is accepted as ownerId: the same list, whose
	// cursors continue either (each first page begins a walk of its own).
	var viaGlobalID pageResp
	e.mustDo(t, pageQuery, &viaGlobalID, client.Var("owner", viaStaff.StaffMember.ID), client.Var("first", 5))
	require.Len(t, viaGlobalID.Customers.Edges, 5)
	for i, edge := range viaGlobalID.Customers.Edges {
		assert.Equal(t, viaQuery.Customers.Edges[i].Node.CustomerID, edge.Node.CustomerID)
	}
	assert.Equal(t, viaQuery.Customers.PageInfo.HasNextPage, viaGlobalID.Customers.PageInfo.HasNextPage)
	var next pageResp
	e.mustDo(t, pageQuery, &next, client.Var("owner", "lina"), client.Var("first", 1), client.Var("after", *viaGlobalID.Customers.PageInfo.EndCursor))
	require.Len(t, next.Customers.Edges, 1)
}

func TestBadPagingInputIsBadUserInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var first pageResp
	e.mustDo(t, pageQuery, &first, client.Var("owner", "dowen"), client.Var("first", 2))
	var other pageResp
	e.mustDo(t, pageQuery, &other, client.Var("owner", "lina"), client.Var("first", 2))
	cases := []struct {
		name  string
		query string
		vars  map[string]any
	}{
		{"negative first", pageQuery, map[string]any{"owner": "dowen", "first": -1}},
		{"first over the maximum", pageQuery, map[string]any{"owner": "dowen", "first": 101}},
		{"undecodable cursor", pageQuery, map[string]any{"owner": "dowen", "after": "not-a-cursor"}},
		{"base64 but not a cursor", pageQuery, map[string]any{"owner": "dowen", "after": "eyJmb28iOjF9"}},
		{"cursor of another owner", pageQuery, map[string]any{"owner": "dowen", "after": *other.Customers.PageInfo.EndCursor}},
		{"last", `{ customers(ownerId: "dowen", last: 5) { edges { cursor } } }`, nil},
		{"before", fmt.Sprintf(`{ customers(ownerId: "dowen", first: 5, before: %q) { edges { cursor } } }`, *first.Customers.PageInfo.EndCursor), nil},
		{"empty owner", pageQuery, map[string]any{"owner": " "}},
		{"customer id as owner", pageQuery, map[string]any{"owner": "Q3VzdG9tZXI6Mzk4NjA0MTIwNjY4MjI0"}},
		{"malformed createdSince", `query($s: DateTime) { customers(ownerId: "dowen", createdSince: $s) { edges { cursor } } }`, map[string]any{"s": "13812345678"}},
		{"createdSince without offset", `{ customers(ownerId: "dowen", createdSince: "2021-01-01 00:00:00") { edges { cursor } } }`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []client.Option
			for k, v := range tc.vars {
				opts = append(opts, client.Var(k, v))
			}
			errs := e.do(t, tc.query, nil, opts...)
			require.Len(t, errs, 1)
			assert.Equal(t, []string{"BAD_USER_INPUT"}, codes(errs), errs[0].Message)
			assert.NotContains(t, errs[0].Message, "internal")
			assert.NotContains(t, errs[0].Message, "13812345678", "input is not echoed")
		})
	}
}

func TestFirstZeroReturnsNoEdgesButExactPageInfo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r pageResp
	e.mustDo(t, pageQuery, &r, client.Var("owner", "dowen"), client.Var("first", 0))
	assert.Empty(t, r.Customers.Edges)
	assert.True(t, r.Customers.PageInfo.HasNextPage)
	e.mustDo(t, pageQuery, &r, client.Var("owner", "zhaolei"), client.Var("first", 0))
	assert.False(t, r.Customers.PageInfo.HasNextPage)
}
