package graph_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/introspection"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/graph"
	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/metrics"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// entitiesQuery is a router's fetch of entities: every entity type's
// fields the tests compare with node's answer.
const entitiesQuery = `query($r: [_Any!]!) { _entities(representations: $r) { ` + entityFields + ` } }`

const entityFields = `__typename
	... on Customer { id customerId name mobiles birthday gender stage { label } owner { qwUserId } tags { name } }
	... on Staff { id qwUserId staffName: name former }
	... on Tag { id tagName: name group { name } }`

// rep is one representation of an entity, as a router sends it.
func rep(typename, key, value string) map[string]any {
	return map[string]any{"__typename": typename, key: value}
}

// byPath orders errors by their path, as gqlgen resolves the entity
// types of one _entities field concurrently.
func byPath(errs []gqlError) []gqlError {
	slices.SortFunc(errs, func(a, b gqlError) int { return strings.Compare(fmt.Sprint(a.Path), fmt.Sprint(b.Path)) })
	return errs
}

// TestEntitiesByEveryKey: each key of each entity resolves to what node
// answers for the same object, for a caller with and without the
// personal-data permission (personal data is masked the same way).
func TestEntitiesByEveryKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tag := e.sb.Data().TagGroups[1].Tags[0]
	tagGID := relay.GlobalID(model.TypeTag, tag.ID.String())
	cases := []struct {
		name, gid string
		rep       map[string]any
	}{
		{"Customer by id", customerGID(seedID), rep("Customer", "id", customerGID(seedID))},
		{"Customer by customerId", customerGID(seedID), rep("Customer", "customerId", seedID.String())},
		{"Staff by id", relay.GlobalID(model.TypeStaff, "dowen"), rep("Staff", "id", relay.GlobalID(model.TypeStaff, "dowen"))},
		{"Staff by qwUserId", relay.GlobalID(model.TypeStaff, "dowen"), rep("Staff", "qwUserId", "dowen")},
		{"Tag by id", tagGID, rep("Tag", "id", tagGID)},
	}
	for _, caller := range []struct {
		name string
		c    auth.Caller
	}{{"personal-data", withPersonal}, {"masked", noPersonal}} {
		for _, tc := range cases {
			t.Run(caller.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				as := e.as(caller.c)
				var byNode struct{ Node map[string]any }
				as.mustDo(t, `query($id: ID!) { node(id: $id) { `+entityFields+` } }`, &byNode, client.Var("id", tc.gid))
				var byKey struct {
					Entities []map[string]any `json:"_entities"`
				}
				as.mustDo(t, entitiesQuery, &byKey, client.Var("r", []any{tc.rep}))
				require.Len(t, byKey.Entities, 1)
				require.NotNil(t, byNode.Node)
				assert.Equal(t, byNode.Node, byKey.Entities[0])
			})
		}
	}
	t.Run("masking applies", func(t *testing.T) {
		t.Parallel()
		r := []any{rep("Customer", "customerId", seedID.String())}
		var whole, masked struct {
			Entities []struct{ Mobiles []string } `json:"_entities"`
		}
		e.as(withPersonal).mustDo(t, entitiesQuery, &whole, client.Var("r", r))
		e.as(noPersonal).mustDo(t, entitiesQuery, &masked, client.Var("r", r))
		require.NotEmpty(t, whole.Entities[0].Mobiles)
		assert.NotEqual(t, whole.Entities[0].Mobiles, masked.Entities[0].Mobiles)
		assert.Equal(t, model.MaskPhone(whole.Entities[0].Mobiles[0]), masked.Entities[0].Mobiles[0])
	})
}

// TestEntitiesResolveAPageInOneBatch: a router's fetch of three customers
// from one page is one loader batch: the three searches (Tanma reads a
// customer by id one at a time) run together, and customers listed just
// before cost no call at all, as for nodes.
func TestEntitiesResolveAPageInOneBatch(t *testing.T) {
	t.Parallel()
	searches := &inFlight{path: tanma.PathSearchCustomers, hold: 20 * time.Millisecond}
	m := metrics.New()
	e := buildEnv(t, envOptions{exec: executor.Options{Metrics: m}, wrap: searches.wrap})
	page := e.sb.Data().CustomersOf("sunli")[:3]
	reps := make([]any, len(page))
	for i, c := range page {
		reps[i] = rep("Customer", "customerId", c.CustomerID.String())
	}
	var r struct {
		Entities []struct{ CustomerID string } `json:"_entities"`
	}
	e.mustDo(t, entitiesQuery, &r, client.Var("r", reps))
	require.Len(t, r.Entities, 3)
	for i, c := range page {
		assert.Equal(t, c.CustomerID.String(), r.Entities[i].CustomerID)
	}
	assert.Equal(t, int64(3), e.sb.Calls(tanma.PathSearchCustomers), "one search per customer")
	assert.Greater(t, searches.peak.Load(), int64(1), "the searches overlap: one batch")
	scrape := scrapeMetrics(t, m)
	assert.Contains(t, scrape, `gateway_loader_batch_size_count{loader="customer"} 1`)
	assert.Contains(t, scrape, `gateway_loader_batch_size_sum{loader="customer"} 3`)

	// Listed first, as a router's query that starts at a page does: free.
	e.sb.ResetCalls()
	e.mustDo(t, `{ customers(ownerId: "lina", first: 3) { edges { node { customerId } } } }`, nil)
	listed := e.sb.Data().CustomersOf("lina")[:3]
	for i, c := range listed {
		reps[i] = rep("Customer", "id", customerGID(c.CustomerID))
	}
	e.mustDo(t, entitiesQuery, &r, client.Var("r", reps))
	assert.Zero(t, e.sb.Calls(tanma.PathSearchCustomers), "customers a page just listed cost no call")
}

func scrapeMetrics(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, err := io.ReadAll(w.Body)
	require.NoError(t, err)
	return string(body)
}

// TestEntitiesServeWhatTheyCan: a representation that cannot be served is
// null with its error at _entities[i], as an entry of nodes; the others
// are served, whatever their type.
func TestEntitiesServeWhatTheyCan(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reps := []any{
		rep("Customer", "customerId", seedID.String()),
		rep("Customer", "customerId", "398604120669999"),            // no such customer
		rep("Staff", "qwUserId", "dowen"),                           //
		rep("Customer", "id", relay.GlobalID(model.TypeStaff, "x")), // a Staff id under Customer
		rep("Tag", "id", relay.GlobalID(model.TypeTag, "1")),        // no such tag
		rep("Staff", "qwUserId", "nobody-here"),                     // not in the directory
		rep("Customer", "customerId", "abc"),                        // not a Tanma id
	}
	var r struct {
		Entities []map[string]any `json:"_entities"`
	}
	errs := byPath(e.do(t, entitiesQuery, &r, client.Var("r", reps)))
	require.Len(t, r.Entities, len(reps))
	assert.Equal(t, seedID.String(), r.Entities[0]["customerId"])
	assert.Equal(t, "dowen", r.Entities[2]["qwUserId"])
	for _, i := range []int{1, 3, 4, 5, 6} {
		assert.Nil(t, r.Entities[i], "entry %d", i)
	}
	want := []struct {
		index int
		code  string
	}{{1, "NOT_FOUND"}, {3, "BAD_USER_INPUT"}, {4, "NOT_FOUND"}, {5, "NOT_FOUND"}, {6, "BAD_USER_INPUT"}}
	require.Len(t, errs, len(want), errs)
	for i, w := range want {
		assert.Equal(t, []any{"_entities", float64(w.index)}, errs[i].Path)
		assert.Equal(t, w.code, errs[i].Extensions["code"], errs[i].Message)
	}
}

// TestEntitiesKeepTheVisibilityGate: a caller scoped to lina gets null for
// what it may not see, exactly as through node: another staff member's
// customer answers as a missing one (NOT_FOUND, the same message, by
// either key: no oracle), another staff member is FORBIDDEN; lina's own
// are served.
func TestEntitiesKeepTheVisibilityGate(t *testing.T) {
	t.Parallel()
	e := newEnv(t).as(scopedTo("lina"))
	own := e.sb.Data().CustomersOf("lina")[0].CustomerID
	const missing = "398604120669999"
	ask := func(r map[string]any) ([]map[string]any, []gqlError) {
		var out struct {
			Entities []map[string]any `json:"_entities"`
		}
		errs := e.do(t, entitiesQuery, &out, client.Var("r", []any{r}))
		return out.Entities, errs
	}
	for _, key := range []string{"id", "customerId"} {
		value := func(id string) string {
			if key == "id" {
				n, err := tanma.ParseID(id)
				require.NoError(t, err)
				return customerGID(n)
			}
			return id
		}
		hidden, hiddenErrs := ask(rep("Customer", key, value(seedID.String())))
		absent, absentErrs := ask(rep("Customer", key, value(missing)))
		require.Len(t, hiddenErrs, 1, key)
		require.Len(t, absentErrs, 1, key)
		assert.Equal(t, absent, hidden, key)
		assert.Equal(t, []map[string]any{nil}, hidden, key)
		assert.Equal(t, absentErrs[0], hiddenErrs[0], key)
		assert.Equal(t, "NOT_FOUND", hiddenErrs[0].Extensions["code"], key)

		mine, errs := ask(rep("Customer", key, value(own.String())))
		require.Empty(t, errs, key)
		assert.Equal(t, own.String(), mine[0]["customerId"], key)
	}
	for _, r := range []map[string]any{rep("Staff", "qwUserId", "dowen"), rep("Staff", "id", relay.GlobalID(model.TypeStaff, "dowen"))} {
		got, errs := ask(r)
		require.Len(t, errs, 1)
		assert.Equal(t, "FORBIDDEN", errs[0].Extensions["code"])
		assert.Equal(t, []map[string]any{nil}, got)
	}
	got, errs := ask(rep("Staff", "qwUserId", "lina"))
	require.Empty(t, errs)
	assert.Equal(t, "lina", got[0]["qwUserId"])
}

// TestEntitiesPlaceProblemsAtTheirPath: a value Tanma sent outside its
// documented shape is reported at _entities[i].field, as for nodes.
func TestEntitiesPlaceProblemsAtTheirPath(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, rewriteUpstream(tanma.PathSearchCustomers, func(_, env map[string]any) {
		items(env, func(_ int, it map[string]any) { it["qwRemark"] = 42 })
	}))
	reps := []any{rep("Staff", "qwUserId", "dowen"), rep("Customer", "customerId", seedID.String())}
	var r map[string]any
	errs := e.do(t, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { rem: remark } } }`, &r, client.Var("r", reps))
	require.Len(t, errs, 1)
	assert.Equal(t, []any{"_entities", float64(1), "rem"}, errs[0].Path)
	assert.Equal(t, "UPSTREAM_INVALID", errs[0].Extensions["code"])
}

// TestEntitiesCostLikeNodes: the cost model counts _entities as nodes, per
// representation, so the same budget bounds a router's fetch.
func TestEntitiesCostLikeNodes(t *testing.T) {
	t.Parallel()
	e := buildEnv(t, envOptions{exec: executor.Options{Limits: limits.Limits{MaxComplexity: 1}}})
	cost := func(query string, opts ...client.Option) float64 {
		errs := e.do(t, query, nil, opts...)
		require.Len(t, errs, 1)
		require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", errs[0].Extensions["code"])
		return errs[0].Extensions["cost"].(float64)
	}
	const sel = `... on Customer { name owner { name } }`
	for _, n := range []int{1, 3, 50} {
		ids, reps := make([]string, n), make([]any, n)
		for i := range n {
			ids[i] = customerGID(seedID)
			reps[i] = rep("Customer", "id", ids[i])
		}
		nodes := cost(`query($ids: [ID!]!) { nodes(ids: $ids) { `+sel+` } }`, client.Var("ids", ids))
		entities := cost(`query($r: [_Any!]!) { _entities(representations: $r) { `+sel+` } }`, client.Var("r", reps))
		assert.Equal(t, nodes, entities, "%d", n)
	}
	assert.Zero(t, e.sb.TotalCalls())
}

// TestEntitiesRefuseMalformedRepresentations: what a router never sends is
// refused before anything runs, naming the representation by index.
func TestEntitiesRefuseMalformedRepresentations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	many := make([]any, 101)
	for i := range many {
		many[i] = rep("Staff", "qwUserId", "dowen")
	}
	cases := []struct {
		name string
		reps any
		says string
	}{
		{"over 100", many, "at most 100"},
		{"one object where the list is (a list of one)", rep("Customer", "name", "x"), "representation 0 of _entities carries none of Customer's keys"},
		{"not an object", []any{"Customer:1"}, "representation 0 of _entities is not an object"},
		{"no __typename", []any{map[string]any{"id": customerGID(seedID)}}, "representation 0 of _entities has no __typename"},
		{"unknown type", []any{rep("Staff", "qwUserId", "dowen"), rep("Order", "id", "1")}, "representation 1 of _entities names no entity type"},
		{"not an entity", []any{rep("TagGroup", "id", "1")}, "names no entity type"},
		{"no key", []any{rep("Customer", "name", "x")}, "carries none of Customer's keys (id; customerId)"},
		{"null key", []any{map[string]any{"__typename": "Tag", "id": nil}}, "carries none of Tag's keys"},
		{"object key", []any{map[string]any{"__typename": "Customer", "customerId": map[string]any{"a": 1}}}, "carries none"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var r map[string]any
			errs := e.do(t, entitiesQuery, &r, client.Var("r", tc.reps))
			require.Len(t, errs, 1)
			assert.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"])
			assert.Contains(t, errs[0].Message, tc.says)
			assert.Nil(t, r)
		})
	}
	assert.Zero(t, e.sb.TotalCalls())
}

// TestServiceIsTheSubgraphSDL: _service { sdl } is what a router composes:
// the schema files with the federation link and keys, without the fields
// and types federation adds (the subgraph specification's rule); it needs
// the introspect permission, as introspection does.
func TestServiceIsTheSubgraphSDL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Service struct{ SDL string } `json:"_service"`
	}
	e.mustDo(t, `{ _service { sdl } }`, &r)
	sdl := r.Service.SDL
	assert.Contains(t, sdl, `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])`)
	assert.Contains(t, sdl, `extend type Customer @key(fields: "id") @key(fields: "customerId")`)
	assert.Contains(t, sdl, `extend type Staff @key(fields: "id") @key(fields: "qwUserId")`)
	assert.Contains(t, sdl, `extend type Tag @key(fields: "id")`)
	// With the directives it imports declared, it is the plain schema
	// plus the keys: every type and field the gateway's clients see.
	sub, err := gqlparser.LoadSchema(&ast.Source{Name: "federation.graphql", Input: `
		directive @link(url: String!, import: [String!]) repeatable on SCHEMA
		directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE`},
		&ast.Source{Name: "subgraph.graphql", Input: sdl})
	require.NoError(t, err)
	plain, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(graph.SDL())})
	require.NoError(t, err)
	for name, def := range plain.Types {
		got := sub.Types[name]
		if assert.NotNil(t, got, name) {
			assert.Equal(t, len(def.Fields), len(got.Fields), name)
		}
	}
	for _, federation := range []string{"_Any", "_Entity", "_Service", "FieldSet", "federation__FieldSet"} {
		assert.Nil(t, sub.Types[federation], federation)
	}
	for _, f := range []string{"_entities", "_service"} {
		assert.Nil(t, sub.Query.Fields.ForName(f), f)
	}
	keys := func(typ string) (out []string) {
		for _, d := range sub.Types[typ].Directives.ForNames("key") {
			out = append(out, d.Arguments.ForName("fields").Value.Raw)
		}
		return out
	}
	assert.Equal(t, []string{"id", "customerId"}, keys("Customer"))
	assert.Equal(t, []string{"id", "qwUserId"}, keys("Staff"))
	assert.Equal(t, []string{"id"}, keys("Tag"))

	// Without the introspect permission: refused as introspection is.
	noIntrospect := auth.Caller{ID: "rep", Kind: auth.KindAPIKey, Permissions: []string{auth.PermPersonalData}}
	errs := e.as(noIntrospect).do(t, `{ _service { sdl } }`, nil)
	require.Len(t, errs, 1)
	assert.Equal(t, "FORBIDDEN", errs[0].Extensions["code"])
}

// TestFederationIsInvisibleToClients: with federation on (the default) or
// off, introspection, the SDL and every answer are the same; only the
// subgraph schema runs _service and _entities, and off they are unknown
// fields. A direct client sees no change it did not ask for.
func TestFederationIsInvisibleToClients(t *testing.T) {
	t.Parallel()
	on, off := newEnv(t), buildEnv(t, envOptions{plain: true})
	answer := func(e *env, query string) string {
		var r map[string]any
		errs := e.do(t, query, &r)
		require.Empty(t, errs, query)
		out, err := json.Marshal(r)
		require.NoError(t, err)
		return string(out)
	}
	for _, tc := range []struct{ name, query string }{
		{"introspection", introspection.Query},
		{"federation types", `{ any: __type(name: "_Any") { name } entity: __type(name: "_Entity") { name } service: __type(name: "_Service") { name }
			query: __type(name: "Query") { fields { name } } }`},
		{"dashboard", `{ customers(ownerId: "dowen", first: 5) { edges { node { id customerId name mobiles gender stage { label } owner { name } tags { name } } } } }`},
		{"node", `{ node(id: "` + customerGID(seedID) + `") { id ... on Customer { name } } }`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, answer(off, tc.query), answer(on, tc.query))
		})
	}
	fields := answer(on, `{ __type(name: "Query") { fields { name } } }`)
	assert.NotContains(t, fields, "_entities")
	assert.NotContains(t, fields, "_service")
	assert.Contains(t, answer(on, `{ __type(name: "_Any") { name } }`), `"__type":null`)

	for _, q := range []string{`{ _service { sdl } }`, entitiesQuery} {
		errs := off.do(t, q, nil, client.Var("r", []any{rep("Staff", "qwUserId", "dowen")}))
		require.NotEmpty(t, errs, q)
		assert.Equal(t, "GRAPHQL_VALIDATION_FAILED", errs[0].Extensions["code"], q)
		errs = on.do(t, q, nil, client.Var("r", []any{rep("Staff", "qwUserId", "dowen")}))
		assert.Empty(t, errs, q)
	}
}
