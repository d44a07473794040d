package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// searchBodies records the bodies of upstream search calls.
type searchBodies struct {
	mu     sync.Mutex
	bodies []map[string]any
}

func (s *searchBodies) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == tanma.PathSearchCustomers {
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(b))
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			s.mu.Lock()
			s.bodies = append(s.bodies, m)
			s.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

// TestSearchFiltersReachTheUpstream: every filter becomes the documented
// search body: owners as salesIds, tags as Tanma tag ids, stages as a
// select condition, the time window as createTime with an inclusive end.
func TestSearchFiltersReachTheUpstream(t *testing.T) {
	t.Parallel()
	rec := &searchBodies{}
	e := newEnvWith(t, rec.wrap)
	data := e.sb.Data()
	tag := data.TagGroups[1].Tags[2]
	var r struct{ SearchCustomers struct{ TotalCount int } }
	e.mustDo(t, `query($f: CustomerFilter) { searchCustomers(filter: $f, first: 5) { totalCount } }`, &r, client.Var("f", map[string]any{
		"text":          " 张 ",
		"ownerIds":      []string{"dowen", gid("Staff:lina")},
		"departmentIds": []string{"1", "4"},
		"tagIds":        []string{gid("Tag:" + tag.ID.String()), "etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ"},
		"stageIds":      []string{"398792098304064"},
		"createdSince":  "2021-04-01T00:00:00+08:00",
		"createdBefore": "2021-05-01T00:00:00Z",
	}))
	require.Len(t, rec.bodies, 1)
	want := map[string]any{
		"searchKey":        "张",
		"salesIdList":      []any{data.Staff[0].SalesID.String(), data.Staff[4].SalesID.String()},
		"departmentIdList": []any{"1", "4"},
		"createTime":       map[string]any{"start": "2021-04-01 00:00:00", "end": "2021-05-01 07:59:59"},
		"conditions": map[string]any{"conditionOp": float64(1), "conditionItems": []any{
			map[string]any{"name": "tagIds", "op": float64(6), "values": []any{float64(tag.ID), float64(data.TagGroups[0].Tags[0].ID)}},
			map[string]any{"name": "customer_stage", "op": float64(2), "values": []any{float64(398792098304064)}},
		}},
		"pageNo": float64(1), "pageSize": float64(100),
	}
	assert.Equal(t, want, rec.bodies[0])
}

// TestSearchWalkYieldsEachMatchOnce walks a search in steps that do not
// divide the upstream page and compares with the sandbox's own filter.
func TestSearchWalkYieldsEachMatchOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var want []string
	for _, c := range e.sb.Data().Customers {
		for _, f := range c.Fields {
			if f.Field == tanma.KeyStage && f.ValueAsText != nil && *f.ValueAsText == "398792098304065" {
				want = append(want, c.CustomerID.String())
			}
		}
	}
	require.Greater(t, len(want), 200, "a search over several upstream pages")
	var got []string
	var after *string
	for range 100 {
		var r struct {
			SearchCustomers struct {
				TotalCount int
				Edges      []struct{ Node struct{ CustomerID string } }
				PageInfo   struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		e.mustDo(t, `query($after: String) { searchCustomers(filter: {stageIds: ["398792098304065"]}, first: 37, after: $after) {
			totalCount edges { node { customerId } } pageInfo { hasNextPage endCursor } } }`, &r, client.Var("after", after))
		assert.Equal(t, len(want), r.SearchCustomers.TotalCount)
		for _, edge := range r.SearchCustomers.Edges {
			got = append(got, edge.Node.CustomerID)
		}
		after = r.SearchCustomers.PageInfo.EndCursor
		if !r.SearchCustomers.PageInfo.HasNextPage {
			break
		}
	}
	assert.Equal(t, want, got)

	// From the very last cursor: no edges, and still the total: no edges, and still the total.
	var end struct {
		SearchCustomers struct {
			TotalCount int
			Edges      []struct{ Cursor string }
		}
	}
	e.mustDo(t, `query($after: String) { searchCustomers(filter: {stageIds: ["398792098304065"]}, first: 37, after: $after) {
		totalCount edges { cursor } pageInfo { hasNextPage } } }`, &end, client.Var("after", after))
	assert.Empty(t, end.SearchCustomers.Edges)
	assert.Equal(t, len(want), end.SearchCustomers.TotalCount)
}

// TestSearchTotalWithoutAStatedCount: when the answer states no count, the
// total is counted from the last page.
func TestSearchTotalWithoutAStatedCount(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, rewriteAnswers(tanma.PathSearchCustomers, func(data map[string]any) { delete(data, "totalCount") }))
	var r struct{ SearchCustomers struct{ TotalCount int } }
	e.mustDo(t, `{ searchCustomers(first: 1) { totalCount } }`, &r)
	assert.Equal(t, len(e.sb.Data().Customers), r.SearchCustomers.TotalCount)
	assert.Equal(t, int64(2), e.sb.Calls(tanma.PathSearchCustomers), "the first page and the last")
}

// TestSearchKeepsCustomersWithoutAnOwner: a customer with no owner (Tanma's
// public pool) is found by an unscoped caller, as customer(id) finds it.
func TestSearchKeepsCustomersWithoutAnOwner(t *testing.T) {
	t.Parallel()
	var orphan string
	e := newEnvWith(t, rewriteAnswers(tanma.PathSearchCustomers, func(data map[string]any) {
		if items, ok := data["data"].([]any); ok && len(items) > 0 {
			first := items[0].(map[string]any)
			first["qwUserId"] = nil
			delete(first, "qwSalesId") // search names the owner this way too
			orphan = fmt.Sprint(first["customerId"])
		}
	}))
	var r struct {
		SearchCustomers struct {
			Edges []struct {
				Node struct {
					CustomerID string
					Owner      *struct{ QwUserID string }
				}
			}
		}
	}
	e.mustDo(t, `{ searchCustomers(first: 3) { edges { node { customerId owner { qwUserId } } } } }`, &r)
	require.Len(t, r.SearchCustomers.Edges, 3)
	first := r.SearchCustomers.Edges[0].Node
	assert.Equal(t, orphan, first.CustomerID)
	assert.Nil(t, first.Owner)
}

func TestBadSearchFiltersAreBadUserInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name   string
		filter map[string]any
	}{
		{"unknown owner", map[string]any{"ownerIds": []string{"nobody"}}},
		{"customer id as owner", map[string]any{"ownerIds": []string{gid("Customer:1")}}},
		{"unknown tag", map[string]any{"tagIds": []string{"et-no-such-tag"}}},
		{"unknown tag id", map[string]any{"tagIds": []string{gid("Tag:1")}}},
		{"department not a number", map[string]any{"departmentIds": []string{"sales"}}},
		{"text too long", map[string]any{"text": string(bytes.Repeat([]byte("x"), 101))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			errs := e.do(t, `query($f: CustomerFilter) { searchCustomers(filter: $f) { edges { cursor } } }`, nil, client.Var("f", tc.filter))
			require.Len(t, errs, 1)
			assert.Equal(t, []string{"BAD_USER_INPUT"}, codes(errs), errs[0].Message)
		})
	}
	assert.Zero(t, e.sb.Calls(tanma.PathSearchCustomers), "nothing is sent for a bad filter")
}

// TestCreatedWindowList: a time window maps onto the relation-create-time
// list and keeps exactly the owner's customers created in [since, before).
func TestCreatedWindowList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const since, before = "2021-06-01 00:00:00", "2022-01-01 00:00:00"
	var want []string
	for _, c := range e.sb.Data().CustomersOf("dowen") {
		if ct := *c.CreateTime; ct >= since && ct < before {
			want = append(want, c.CustomerID.String())
		}
	}
	require.NotEmpty(t, want)
	var got []string
	var after *string
	for range 100 {
		var r pageResp
		e.mustDo(t, `query($after: String) { customers(ownerId: "dowen", first: 50, after: $after,
			createdSince: "2021-06-01T00:00:00+08:00", createdBefore: "2021-12-31T16:00:00Z") {
			edges { cursor node { customerId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, &r, client.Var("after", after))
		for _, edge := range r.Customers.Edges {
			got = append(got, edge.Node.CustomerID)
		}
		if !r.Customers.PageInfo.HasNextPage {
			break
		}
		after = r.Customers.PageInfo.EndCursor
	}
	assert.Equal(t, want, got)
	assert.Zero(t, e.sb.Calls(tanma.PathListByQwUserID))
	errs := e.do(t, `{ customers(ownerId: "dowen", createdSince: "2022-01-01T00:00:00Z", createdBefore: "2021-01-01T00:00:00Z") { edges { cursor } } }`, nil)
	assert.Equal(t, []string{"BAD_USER_INPUT"}, codes(errs))

	// A window of one second around a customer's creation, with
	// sub-second bounds, holds exactly the customers of that second.
	c := e.sb.Data().CustomersOf("dowen")[5]
	at, err := tanma.ParseTime(*c.CreateTime)
	require.NoError(t, err)
	var r pageResp
	e.mustDo(t, `query($s: DateTime, $b: DateTime) { customers(ownerId: "dowen", createdSince: $s, createdBefore: $b) {
		edges { cursor node { customerId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, &r,
		client.Var("s", at.Add(-500*time.Millisecond).Format(time.RFC3339Nano)), client.Var("b", at.Add(500*time.Millisecond).Format(time.RFC3339Nano)))
	require.Len(t, r.Customers.Edges, 1)
	assert.Equal(t, c.CustomerID.String(), r.Customers.Edges[0].Node.CustomerID)
}

// TestSearchWalkReusesPages: walking a search 10 customers at a time costs
// one upstream call per 100 customers (the rest of each page is kept for
// the next request), totalCount included, not one call per page.
func TestSearchWalkReusesPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want := len(e.sb.Data().CustomersOf("lina"))
	require.Greater(t, want, 100, "two upstream pages")
	var after *string
	seen := 0
	for pages := 0; ; pages++ {
		require.Less(t, pages, 50)
		var r struct {
			SearchCustomers struct {
				TotalCount int
				Edges      []struct{ Cursor string }
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		e.mustDo(t, `query($a: String) { searchCustomers(filter: {ownerIds: ["lina"]}, first: 10, after: $a) {
			totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }`, &r, client.Var("a", after))
		assert.Equal(t, want, r.SearchCustomers.TotalCount)
		seen += len(r.SearchCustomers.Edges)
		if !r.SearchCustomers.PageInfo.HasNextPage {
			break
		}
		end := r.SearchCustomers.PageInfo.EndCursor
		after = &end
	}
	assert.Equal(t, want, seen)
	assert.LessOrEqual(t, e.sb.Calls(tanma.PathSearchCustomers), int64(3), "about one call per 100 customers")
}
