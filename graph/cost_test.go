package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// allPaths are the upstream endpoints the gateway reads.
var allPaths = []string{
	tanma.PathListByQwUserID, tanma.PathListByRelationCreateTime, tanma.PathSearchCustomers, tanma.PathListFields,
	tanma.PathTagTree, tanma.PathGetUsers, tanma.PathUserDepartments, tanma.PathListFollowUps,
}

// dashboardPage is what a dashboard shows of a page of customers: owner,
// tags, stage and source labels and every custom field typed and labelled.
const dashboardPage = `query($owner: ID!, $first: Int) {
  customers(ownerId: $owner, first: $first) {
    edges { node {
      customerId name mobiles gender birthday updatedAt
      owner { name } tags { name group { name } }
      stage { id label } source { id label } purchaseIntention { label }
      fields {
        key label kind text problem
        ... on SelectCustomerField { option { id label } }
        ... on MultiSelectCustomerField { options { id label } }
        ... on DateCustomerField { date }
        ... on NumberCustomerField { number }
        ... on PhoneCustomerField { phones }
      }
    } }
  }
}`

// TestPageCostDoesNotGrowWithPageSize: 100 customers cost the same upstream
// calls as 10: one list call plus one load per kind of reference data when
// the caches are cold (4 calls), and the list call alone once warm.
func TestPageCostDoesNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	cold := map[string]int64{tanma.PathListByQwUserID: 1, tanma.PathListFields: 1, tanma.PathTagTree: 1, tanma.PathGetUsers: 1}
	warm := map[string]int64{tanma.PathListByQwUserID: 1}
	for _, first := range []int{10, 100} {
		t.Run(fmt.Sprintf("first=%d", first), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			var r struct {
				Customers struct {
					Edges []struct{ Node map[string]any }
				}
			}
			e.mustDo(t, dashboardPage, &r, client.Var("owner", "wangfang"), client.Var("first", first))
			require.Len(t, r.Customers.Edges, first)
			assert.Equal(t, cold, e.calls(allPaths...), "cold caches")
			e.sb.ResetCalls()
			e.mustDo(t, dashboardPage, &r, client.Var("owner", "wangfang"), client.Var("first", first))
			assert.Equal(t, warm, e.calls(allPaths...), "warm caches")
		})
	}
}

// TestAliasedOwnersShareLookups: 20 owners' first pages in one query cost
// 20 list calls and one load per kind of reference data, not 20 of each.
func TestAliasedOwnersShareLookups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var q strings.Builder
	q.WriteString("{")
	owners := e.sb.Data().Staff[:20]
	for i, st := range owners {
		fmt.Fprintf(&q, ` o%d: customers(ownerId: %q, first: 5) { edges { node { name owner { name } tags { name } stage { label } fields { label } } } }`, i, st.QwUserID)
	}
	q.WriteString("}")
	var r map[string]struct {
		Edges []struct{ Node map[string]any }
	}
	e.mustDo(t, q.String(), &r)
	require.Len(t, r, 20)
	assert.Equal(t, map[string]int64{tanma.PathListByQwUserID: 20, tanma.PathListFields: 1, tanma.PathTagTree: 1, tanma.PathGetUsers: 1},
		e.calls(allPaths...))
}
