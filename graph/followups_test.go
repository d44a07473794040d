package graph_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

type followUpPage struct {
	Customer struct {
		FollowUps struct {
			Edges []struct {
				Node struct {
					FollowUpID, Kind string
					TypeCode         int
					Content          *string
					CreatedAt        *string
					Author           *struct{ QwUserID string }
					AuthorName       *string
				}
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   *string
			}
		}
	}
}

// TestFollowUpsWalk pages through the seed customer's long history and
// compares it with the sandbox record by record.
func TestFollowUpsWalk(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want := e.sb.Data().FollowUpsOf(sandbox.SeedCustomerID)
	require.Greater(t, len(want), 30)
	var got []string
	var after *string
	for range 100 {
		var r followUpPage
		e.mustDo(t, `query($after: String) { customer(id: "398604120668224") { followUps(first: 20, after: $after) {
			edges { node { followUpId kind typeCode content createdAt author { qwUserId } authorName } }
			pageInfo { hasNextPage endCursor } } } }`, &r, client.Var("after", after))
		for _, edge := range r.Customer.FollowUps.Edges {
			w, n := want[len(got)], edge.Node
			assert.Equal(t, w.ID.String(), n.FollowUpID)
			assert.Equal(t, map[int]string{1: "NOTE", 2: "SYSTEM"}[w.Type], n.Kind)
			assert.Equal(t, w.Content, *n.Content)
			assert.Equal(t, strings.Replace(w.CreateTime, " ", "T", 1)+"+08:00", *n.CreatedAt)
			assert.Equal(t, w.Operator.Name, *n.AuthorName)
			if w.Operator.QwUserID == "" {
				assert.Nil(t, n.Author, "API writes have no staff author")
			} else {
				assert.Equal(t, w.Operator.QwUserID, n.Author.QwUserID)
			}
			got = append(got, n.FollowUpID)
		}
		if !r.Customer.FollowUps.PageInfo.HasNextPage {
			break
		}
		after = r.Customer.FollowUps.PageInfo.EndCursor
	}
	assert.Len(t, got, len(want))
}

// TestLatestFollowUpCostsOneCallPerCustomer: the dashboard's "latest
// follow-up" column costs one upstream call per customer, never more (the
// same page asked twice is fetched once), with bounded concurrency.
func TestLatestFollowUpCostsOneCallPerCustomer(t *testing.T) {
	t.Parallel()
	calls := &inFlight{path: tanma.PathListFollowUps}
	e := newEnvWith(t, calls.wrap)
	var r struct {
		Customers struct {
			Edges []struct {
				Node struct {
					Latest, Again struct {
						Edges []struct{ Node struct{ FollowUpID string } }
					}
				}
			}
		}
	}
	e.mustDo(t, `{ customers(ownerId: "wangfang", first: 50) { edges { node {
		latest: followUps(first: 1) { edges { node { followUpId } } }
		again: followUps(first: 1) { edges { node { followUpId } } } } } } }`, &r)
	require.Len(t, r.Customers.Edges, 50)
	for i, c := range e.sb.Data().CustomersOf("wangfang")[:50] {
		all := e.sb.Data().FollowUpsOf(c.CustomerID)
		node := r.Customers.Edges[i].Node
		if len(all) == 0 {
			assert.Empty(t, node.Latest.Edges)
			continue
		}
		require.Len(t, node.Latest.Edges, 1)
		assert.Equal(t, all[0].ID.String(), node.Latest.Edges[0].Node.FollowUpID)
		assert.Equal(t, node.Latest, node.Again)
	}
	assert.Equal(t, int64(50), e.sb.Calls(tanma.PathListFollowUps))
	assert.LessOrEqual(t, calls.peak.Load(), int64(8), "bounded concurrency")
	assert.Positive(t, calls.peak.Load())
}

// TestFollowUpWalkWithChangingFirst: pages of different sizes, each
// resumed from the last one's cursor, yield every record once.
func TestFollowUpWalkWithChangingFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want := e.sb.Data().FollowUpsOf(sandbox.SeedCustomerID)
	var got []string
	var after *string
	for i := 0; i < 200; i++ {
		first := []int{5, 1, 7, 2, 13}[i%5]
		var r followUpPage
		e.mustDo(t, `query($first: Int, $after: String) { customer(id: "398604120668224") { followUps(first: $first, after: $after) {
			edges { node { followUpId } } pageInfo { hasNextPage endCursor } } } }`, &r, client.Var("first", first), client.Var("after", after))
		for _, edge := range r.Customer.FollowUps.Edges {
			got = append(got, edge.Node.FollowUpID)
		}
		if !r.Customer.FollowUps.PageInfo.HasNextPage {
			break
		}
		after = r.Customer.FollowUps.PageInfo.EndCursor
	}
	require.Len(t, got, len(want))
	for i, f := range want {
		assert.Equal(t, f.ID.String(), got[i])
	}
}

// TestRecentFollowUpsAreKept: the latest follow-up of every row costs one
// upstream call per customer the first time; the same page again within
// loaders.FollowUpTTL costs none, and a write through the gateway makes its
// customer's follow-ups be read again.
func TestRecentFollowUpsAreKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const q = `{ customers(ownerId: "lina", first: 5) { edges { node { customerId followUps(first: 1) { edges { node { content } } } } } } }`
	var r struct {
		Customers struct {
			Edges []struct{ Node struct{ CustomerID string } }
		}
	}
	e.mustDo(t, q, &r)
	require.Len(t, r.Customers.Edges, 5)
	assert.Equal(t, int64(5), e.sb.Calls(tanma.PathListFollowUps))

	e.sb.ResetCalls()
	e.mustDo(t, q, &r)
	assert.Zero(t, e.sb.Calls(tanma.PathListFollowUps), "kept across requests")

	changed := r.Customers.Edges[2].Node.CustomerID
	var out map[string]any
	e.mustDo(t, updateMutation, &out, client.Var("in", map[string]any{"id": changed,
		"fields": []map[string]any{{"key": "description", "text": "回访过了"}}}))
	e.sb.ResetCalls()
	e.mustDo(t, q, &r)
	assert.Equal(t, int64(1), e.sb.Calls(tanma.PathListFollowUps), "the changed customer's follow-ups are read again")
}
