package graph_test

import (
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/graph/relay"
)

// TestACustomerLooksTheSameThroughEveryEntryPoint: a customer read by
// id (customer, node, nodes: Tanma's search, whose items carry custom
// fields as id-named keys beside a fields array of system fields), by
// searchCustomers and from its owner's list has the same typed fields.
func TestACustomerLooksTheSameThroughEveryEntryPoint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.sb.Data().CustomersOf("lina")[4]
	id := c.CustomerID.String()
	gid := relay.GlobalID("Customer", id)
	const fields = `fields { key label kind text problem ... on SelectCustomerField { option { id label } } }`
	var byID struct {
		Customer json.RawMessage
		Node     json.RawMessage
		Nodes    []json.RawMessage
	}
	e.mustDo(t, `query($id: ID!, $gid: ID!) { customer(id: $id) { `+fields+` }
		node(id: $gid) { ... on Customer { `+fields+` } } nodes(ids: [$gid]) { ... on Customer { `+fields+` } } }`,
		&byID, client.Var("id", id), client.Var("gid", gid))

	var name string
	for _, f := range c.Fields {
		if f.Field == "name" {
			name = *f.ValueAsText
		}
	}
	var searched struct {
		SearchCustomers struct {
			Edges []struct{ Node json.RawMessage }
		}
	}
	e.mustDo(t, `query($t: String!) { searchCustomers(filter: {text: $t}, first: 50) { edges { node { customerId `+fields+` } } } }`,
		&searched, client.Var("t", name))
	var fromSearch json.RawMessage
	for _, edge := range searched.SearchCustomers.Edges {
		var n struct{ CustomerID string }
		require.NoError(t, json.Unmarshal(edge.Node, &n))
		if n.CustomerID == id {
			fromSearch = edge.Node
		}
	}
	require.NotNil(t, fromSearch, "found by search")

	var listed struct {
		Customers struct {
			Edges []struct{ Node json.RawMessage }
		}
	}
	e.mustDo(t, `{ customers(ownerId: "lina", first: 5) { edges { node { `+fields+` } } } }`, &listed)

	want := fieldsOf(t, listed.Customers.Edges[4].Node)
	require.Len(t, want, len(c.Fields), "a list item carries every field")
	assert.Equal(t, want, fieldsOf(t, byID.Customer), "customer(id)")
	assert.Equal(t, want, fieldsOf(t, byID.Node), "node(id)")
	assert.Equal(t, want, fieldsOf(t, byID.Nodes[0]), "nodes(ids)")
	assert.Equal(t, want, fieldsOf(t, fromSearch), "searchCustomers")
}

func fieldsOf(t *testing.T, node json.RawMessage) []map[string]any {
	t.Helper()
	var n struct{ Fields []map[string]any }
	require.NoError(t, json.Unmarshal(node, &n))
	return n.Fields
}
