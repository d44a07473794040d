package graph_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

const customerFields = `id customerId name mobiles gender birthday address corpName description
  source { id label } stage { id label } purchaseIntention { id label } type
  createdAt updatedAt convertedAt remark externalUserId nickname avatarUrl location owner { id qwUserId }`

// TestSeedCustomersAreTyped checks the two customers of Tanma's example page,
// field for field, as the typed Customer.
func TestSeedCustomersAreTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Customers struct {
			Edges []struct{ Node map[string]any }
		}
	}
	e.mustDo(t, `{ customers(ownerId: "dowen", first: 2) { edges { node { `+customerFields+` } } } }`, &r)
	require.Len(t, r.Customers.Edges, 2)
	owner := map[string]any{"id": "U3RhZmY6ZG93ZW4=", "qwUserId": "dowen"}
	want := []map[string]any{{
		"id": "Q3VzdG9tZXI6Mzk4NjA0MTIwNjY4MjI0", "customerId": "398604120668224", "name": "14635",
		"mobiles": []any{"110110"}, "gender": "OTHER", "birthday": nil, "address": nil, "corpName": nil,
		"description": nil, "source": map[string]any{"id": "4", "label": "企业微信添加"},
		"stage":             map[string]any{"id": "396823724189760", "label": "初步接触"},
		"purchaseIntention": nil, "type": float64(1),
		"createdAt": "2021-03-06T16:22:17+08:00", "updatedAt": "2021-03-31T14:59:21+08:00", "convertedAt": nil,
		"remark": "14635", "externalUserId": nil, "nickname": nil, "avatarUrl": nil, "location": nil, "owner": owner,
	}, {
		"id": "Q3VzdG9tZXI6Mzk4OTIzMzg4ODQyMDQ4", "customerId": "398923388842048", "name": "张三测",
		"mobiles": []any{"18910515284"}, "gender": "OTHER", "birthday": nil, "address": nil, "corpName": nil,
		"description": nil, "source": map[string]any{"id": "4", "label": "企业微信添加"},
		"stage":             map[string]any{"id": "398792098304064", "label": "需求确认"},
		"purchaseIntention": nil, "type": float64(1),
		"createdAt": "2021-03-06T16:26:51+08:00", "updatedAt": "2021-03-31T14:59:21+08:00", "convertedAt": nil,
		"remark": "张三测", "externalUserId": nil, "nickname": nil, "avatarUrl": nil, "location": nil, "owner": owner,
	}}
	for i, w := range want {
		assert.Equal(t, w, r.Customers.Edges[i].Node, "customer %d", i)
	}
}

// TestIDsPastFloatPrecisionStayExact pages to the customer whose id is past
// 2^53: a float64 decode anywhere would change its last digit.
func TestIDsPastFloatPrecisionStayExact(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r pageResp
	e.mustDo(t, pageQuery, &r, client.Var("owner", sandbox.BigIDOwner), client.Var("first", 5))
	require.Len(t, r.Customers.Edges, 1)
	assert.Equal(t, "9007199254740993", r.Customers.Edges[0].Node.CustomerID)
}

// TestGeneratedCustomersMatchTheSandbox compares a page of generated
// customers with the sandbox's records: mobiles decoded from the JSON-array
// text, gender codes, dates without time, China-time timestamps.
func TestGeneratedCustomersMatchTheSandbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Customers struct {
			Edges []struct {
				Node struct {
					CustomerID, CreatedAt string
					Mobiles               []string
					Gender, Birthday      *string
					Name                  *string
				}
			}
		}
	}
	e.mustDo(t, `{ customers(ownerId: "wangfang", first: 100) { edges { node { customerId createdAt mobiles gender birthday name } } } }`, &r)
	src := e.sb.Data().CustomersOf("wangfang")[:100]
	require.Len(t, r.Customers.Edges, 100)
	for i, edge := range r.Customers.Edges {
		c, want := edge.Node, sandboxView(src[i])
		assert.Equal(t, want.id, c.CustomerID)
		assert.Equal(t, want.createdAt, c.CreatedAt)
		assert.Equal(t, want.mobiles, c.Mobiles, "customer %s", c.CustomerID)
		assert.Equal(t, want.gender, c.Gender, "customer %s", c.CustomerID)
		assert.Equal(t, want.birthday, c.Birthday, "customer %s", c.CustomerID)
		assert.Equal(t, want.name, c.Name, "customer %s", c.CustomerID)
	}
}
