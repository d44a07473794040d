package graph_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

func gid(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// TestNodeRoundTrips refetches listed objects by the id the API gave them,
// from another gateway (nothing remembered of the listing): each customer
// through search by id.
func TestNodeRoundTrips(t *testing.T) {
	t.Parallel()
	lister, e := newEnv(t), newEnv(t)
	var list struct {
		Customers struct {
			Edges []struct {
				Node struct {
					ID, CustomerID string
					Name           *string
					Owner          struct{ ID, QwUserID string }
				}
			}
		}
	}
	lister.mustDo(t, `{ customers(ownerId: "lina", first: 3) { edges { node { id customerId name owner { id qwUserId } } } } }`, &list)
	require.Len(t, list.Customers.Edges, 3)
	for _, edge := range list.Customers.Edges {
		c := edge.Node
		var r struct {
			Customer struct {
				Typename   string `json:"__typename"`
				ID         string
				CustomerID string
				Name       *string
			} `json:"customer"`
			Staff struct {
				Typename string `json:"__typename"`
				ID       string
				QwUserID string
			} `json:"staff"`
		}
		e.mustDo(t, `query($c: ID!, $s: ID!) {
			customer: node(id: $c) { __typename id ... on Customer { customerId name } }
			staff: node(id: $s) { __typename id ... on Staff { qwUserId } } }`, &r,
			client.Var("c", c.ID), client.Var("s", c.Owner.ID))
		assert.Equal(t, "Customer", r.Customer.Typename)
		assert.Equal(t, c.ID, r.Customer.ID)
		assert.Equal(t, c.CustomerID, r.Customer.CustomerID)
		assert.Equal(t, c.Name, r.Customer.Name)
		assert.Equal(t, "Staff", r.Staff.Typename)
		assert.Equal(t, c.Owner.ID, r.Staff.ID)
		assert.Equal(t, "lina", r.Staff.QwUserID)
	}
	// One upstream call per customer lookup, each through search by id.
	assert.Equal(t, int64(3), e.sb.Calls(tanma.PathSearchCustomers))
}

// TestListedCustomersAreFreeToRefetch: a dashboard lists customers, then
// refetches the one a user opens by id, in a later request: no search call.
func TestListedCustomersAreFreeToRefetch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var list struct {
		Customers struct {
			Edges []struct {
				Node struct{ ID, CustomerID string }
			}
		}
	}
	e.mustDo(t, `{ customers(ownerId: "lina", first: 5) { edges { node { id customerId } } } }`, &list)
	require.Len(t, list.Customers.Edges, 5)
	for _, edge := range list.Customers.Edges {
		var r struct{ Node struct{ CustomerID string } }
		e.mustDo(t, `query($id: ID!) { node(id: $id) { ... on Customer { customerId } } }`, &r, client.Var("id", edge.Node.ID))
		assert.Equal(t, edge.Node.CustomerID, r.Node.CustomerID)
	}
	assert.Zero(t, e.sb.Calls(tanma.PathSearchCustomers))
}

func TestNodeErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name, id, code string
	}{
		{"unknown customer", gid("Customer:1"), "NOT_FOUND"},
		{"not base64", "not an id!", "BAD_USER_INPUT"},
		{"no type", gid("398604120668224"), "BAD_USER_INPUT"},
		{"unknown type", gid("Order:1"), "BAD_USER_INPUT"},
		{"customer id not a number", gid("Customer:abc"), "BAD_USER_INPUT"},
		{"negative customer id", gid("Customer:-5"), "BAD_USER_INPUT"},
		{"empty staff id", gid("Staff: "), "BAD_USER_INPUT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var r struct{ Node *struct{ ID string } }
			errs := e.do(t, `query($id: ID!) { node(id: $id) { id } }`, &r, client.Var("id", tc.id))
			require.Len(t, errs, 1)
			assert.Equal(t, []string{tc.code}, codes(errs), errs[0].Message)
			assert.Equal(t, []any{"node"}, errs[0].Path)
			assert.Nil(t, r.Node)
		})
	}
}

// TestNodesServesWhatItCan: a bad entry nulls itself and adds an error at
// its index; the others are served in the order asked.
func TestNodesServesWhatItCan(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := []string{gid("Customer:398923388842048"), "garbage", gid("Customer:1"), gid("Staff:dowen")}
	var r struct {
		Nodes []*struct {
			Typename string `json:"__typename"`
			ID       string
		}
	}
	errs := e.do(t, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, &r, client.Var("ids", ids))
	require.Len(t, r.Nodes, 4)
	assert.Equal(t, ids[0], r.Nodes[0].ID)
	assert.Nil(t, r.Nodes[1])
	assert.Nil(t, r.Nodes[2])
	assert.Equal(t, "Staff", r.Nodes[3].Typename)
	require.Len(t, errs, 2)
	assert.Equal(t, []string{"BAD_USER_INPUT", "NOT_FOUND"}, codes(errs))
	assert.Equal(t, []any{"nodes", float64(1)}, errs[0].Path)
	assert.Equal(t, []any{"nodes", float64(2)}, errs[1].Path)
}

func TestNodesRejectsTooManyIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := strings.Split(strings.Repeat(gid("Staff:dowen")+",", 101), ",")[:101]
	errs := e.do(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, nil, client.Var("ids", ids))
	require.Len(t, errs, 1)
	assert.Equal(t, []string{"BAD_USER_INPUT"}, codes(errs))
	assert.Zero(t, e.sb.TotalCalls())
}

// TestNodesLooksUpCustomersTogether: every customer lookup of nodes starts
// before any is awaited, so they run concurrently in one loader batch.
func TestNodesLooksUpCustomersTogether(t *testing.T) {
	t.Parallel()
	searches := &inFlight{path: tanma.PathSearchCustomers, hold: 20 * time.Millisecond}
	e := newEnvWith(t, searches.wrap)
	var ids []string
	for _, c := range e.sb.Data().CustomersOf("sunli")[:8] {
		ids = append(ids, gid("Customer:"+c.CustomerID.String()))
	}
	var r struct{ Nodes []struct{ ID string } }
	e.mustDo(t, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, &r, client.Var("ids", ids))
	require.Len(t, r.Nodes, 8)
	assert.Equal(t, int64(8), e.sb.Calls(tanma.PathSearchCustomers))
	assert.Greater(t, searches.peak.Load(), int64(1), "lookups overlap")
}
