package server_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scopeCredential is one way of calling as a scoped caller.
type scopeCredential struct {
	name   string
	header http.Header
}

// scopeCase is one query of a scoped caller: served (check inspects the
// answer) or refused at forbidden, whose data is then null: FORBIDDEN for
// a staff member out of scope, and for a customer out of scope exactly
// what a missing customer answers (NOT_FOUND, "no customer has this id").
type scopeCase struct {
	name      string
	query     string
	forbidden []any                       // path of the FORBIDDEN error; nil: served
	check     func(t *testing.T, r reply) // extra checks
}

// runScopeCases runs every case with every credential over real HTTP.
func runScopeCases(t *testing.T, g *gateway, creds []scopeCredential, cases []scopeCase, mayOwn string) {
	t.Helper()
	for _, cred := range creds {
		for _, tc := range cases {
			t.Run(cred.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				r := g.post(t, tc.query, cred.header)
				require.Equal(t, http.StatusOK, r.Status, r.Body)
				if tc.forbidden == nil {
					require.Empty(t, r.Errors, r.Body)
					require.NotNil(t, r.Data, r.Body)
				} else {
					e, ok := r.errorWithCode("FORBIDDEN")
					if !ok {
						e, ok = r.errorWithCode("NOT_FOUND")
						assert.Equal(t, "no customer has this id", e.Message, "a hidden customer is a missing one, word for word")
					}
					require.True(t, ok, "no FORBIDDEN or NOT_FOUND error: %s", r.Body)
					assert.Equal(t, tc.forbidden, e.Path, r.Body)
					assert.Nil(t, at(map[string]any(r.Data), tc.forbidden...), "the refused field is not null: %s", r.Body)
					for _, c := range r.codes() {
						assert.Contains(t, []string{"FORBIDDEN", "NOT_FOUND"}, c, r.Body)
					}
				}
				// Whatever the outcome, nothing of another owner's customers.
				for _, st := range g.SB.Data().Staff {
					if st.QwUserID != mayOwn {
						assertNoCustomerDataOf(t, r.Body, g.SB, st.QwUserID, tc.query)
					}
				}
				if tc.check != nil {
					tc.check(t, r)
				}
			})
		}
	}
}

// ownersOf lists the owner qwUserId of every edge of the connection at path.
func ownersOf(t *testing.T, data map[string]any, path ...any) []string {
	t.Helper()
	edges, ok := at(data, append(path, "edges")...).([]any)
	require.True(t, ok, "no edges at %v", path)
	out := make([]string, len(edges))
	for i, e := range edges {
		out[i], _ = at(e, "node", "owner", "qwUserId").(string)
	}
	return out
}

// assertAll asserts every element of got is want (and there is at least one).
func assertAll(t *testing.T, got []string, want string) {
	t.Helper()
	require.NotEmpty(t, got)
	for i, g := range got {
		assert.Equal(t, want, g, "element %d", i)
	}
}

// TestScopeMatrix: a caller scoped to the staff member lina (an API key,
// and a JWT with a staff claim) reads lina's customers by every route and
// nothing of dowen's by any route.
func TestScopeMatrix(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	linaIDs := customerIDsOf(g.SB, "lina", 0)
	linaCount := len(linaIDs)
	require.Greater(t, linaCount, 100, "the sandbox gives lina more than one page")
	linaFirst := linaIDs[0]
	dowenSeed := b64("Customer:" + dowenSeedCustomerID)
	require.Equal(t, customerGID(dowenSeedCustomerID), dowenSeed)

	creds := []scopeCredential{
		{"api key", apiKey(keyLina)},
		{"jwt", bearer(g.Issuer.Token(t, func(c jwt.MapClaims) { c["staff"] = []string{"lina"}; c["sub"] = "lina-user" }))},
		{"jwt staff as string", bearer(g.Issuer.Token(t, func(c jwt.MapClaims) { c["staff"] = "lina"; c["sub"] = "lina-user-2" }))},
	}
	const customerFields = `customerId name mobiles owner { qwUserId }`
	cases := []scopeCase{
		// Served.
		{name: "customers of lina", query: `{ customers(ownerId: "lina", first: 50) { edges { node { ` + customerFields + ` } } } }`,
			check: func(t *testing.T, r reply) { assertAll(t, ownersOf(t, r.Data, "customers"), "lina") }},
		{name: "customers of lina by Staff id", query: `{ customers(ownerId: "` + staffGID("lina") + `", first: 5) { edges { node { ` + customerFields + ` } } } }`,
			check: func(t *testing.T, r reply) { assertAll(t, ownersOf(t, r.Data, "customers"), "lina") }},
		{name: "staffMember lina customers", query: `{ staffMember(qwUserId: "lina") { qwUserId customers(first: 50) { edges { node { ` + customerFields + ` } } } } }`,
			check: func(t *testing.T, r reply) { assertAll(t, ownersOf(t, r.Data, "staffMember", "customers"), "lina") }},
		{name: "node of a lina customer", query: `{ node(id: "` + customerGID(linaFirst) + `") { id ... on Customer { ` + customerFields + ` } } }`,
			check: func(t *testing.T, r reply) {
				assert.Equal(t, linaFirst, at(r.Data, "node", "customerId"))
				assert.Equal(t, "lina", at(r.Data, "node", "owner", "qwUserId"))
			}},
		{name: "customer of lina by upstream id", query: `{ customer(id: "` + linaFirst + `") { ` + customerFields + ` } }`,
			check: func(t *testing.T, r reply) { assert.Equal(t, linaFirst, at(r.Data, "customer", "customerId")) }},
		{name: "searchCustomers sees only lina", query: `{ searchCustomers(first: 100) { totalCount pageInfo { hasNextPage } edges { node { ` + customerFields + ` } } } }`,
			check: func(t *testing.T, r reply) {
				assert.EqualValues(t, linaCount, at(r.Data, "searchCustomers", "totalCount"), "totalCount is lina's customer count")
				owners := ownersOf(t, r.Data, "searchCustomers")
				assert.Len(t, owners, 100)
				assertAll(t, owners, "lina")
				assert.Equal(t, true, at(r.Data, "searchCustomers", "pageInfo", "hasNextPage"))
			}},
		{name: "searchCustomers filtered to lina", query: `{ searchCustomers(filter: {ownerIds: ["lina"]}, first: 100) { totalCount edges { node { ` + customerFields + ` } } } }`,
			check: func(t *testing.T, r reply) {
				assert.EqualValues(t, linaCount, at(r.Data, "searchCustomers", "totalCount"))
				assertAll(t, ownersOf(t, r.Data, "searchCustomers"), "lina")
			}},
		{name: "searchCustomers by the name of a dowen customer", query: `{ searchCustomers(filter: {text: "张三测"}, first: 100) { totalCount edges { node { ` + customerFields + ` } } } }`,
			check: func(t *testing.T, r reply) {
				owners := ownersOf(t, r.Data, "searchCustomers")
				for _, o := range owners {
					assert.Equal(t, "lina", o)
				}
				assert.EqualValues(t, len(owners), at(r.Data, "searchCustomers", "totalCount"))
			}},
		{name: "staff lists only lina", query: `{ staff(first: 100) { totalCount edges { node { qwUserId name } } } }`,
			check: func(t *testing.T, r reply) {
				assert.EqualValues(t, 1, at(r.Data, "staff", "totalCount"))
				edges, _ := at(r.Data, "staff", "edges").([]any)
				require.Len(t, edges, 1)
				assert.Equal(t, "lina", at(edges[0], "node", "qwUserId"))
			}},
		{name: "follow-up authors outside the scope are hidden", query: `{ customers(ownerId: "lina", first: 40) { edges { node { followUps(first: 5) { edges { node { authorName author { qwUserId name departments { name } } } } } } } } }`,
			check: func(t *testing.T, r reply) {
				edges, _ := at(r.Data, "customers", "edges").([]any)
				named := 0
				for _, e := range edges {
					fus, _ := at(e, "node", "followUps", "edges").([]any)
					for _, f := range fus {
						if at(f, "node", "authorName") != nil {
							named++
						}
						if a := at(f, "node", "author"); a != nil {
							assert.Equal(t, "lina", at(a, "qwUserId"), "an author outside the scope")
						}
					}
				}
				assert.Positive(t, named, "the page has follow-ups with authors")
			}},
		// Refused.
		{name: "customers of dowen", query: `{ customers(ownerId: "dowen", first: 5) { edges { node { ` + customerFields + ` } } } }`,
			forbidden: []any{"customers"}},
		{name: "customers of dowen by Staff id", query: `{ customers(ownerId: "` + staffGID("dowen") + `", first: 5) { edges { node { ` + customerFields + ` } } } }`,
			forbidden: []any{"customers"}},
		{name: "customers of dowen in a time window", query: `{ customers(ownerId: "dowen", first: 5, createdSince: "2021-01-01T00:00:00+08:00") { edges { node { ` + customerFields + ` } } } }`,
			forbidden: []any{"customers"}},
		{name: "node of a dowen customer", query: `{ node(id: "` + dowenSeed + `") { id ... on Customer { ` + customerFields + ` } } }`,
			forbidden: []any{"node"}},
		{name: "node of staff dowen", query: `{ node(id: "` + staffGID("dowen") + `") { id ... on Staff { customers(first: 5) { edges { node { customerId } } } } } }`,
			forbidden: []any{"node"}},
		{name: "nodes of a lina and a dowen customer", query: `{ nodes(ids: ["` + customerGID(linaFirst) + `", "` + dowenSeed + `"]) { id ... on Customer { ` + customerFields + ` } } }`,
			forbidden: []any{"nodes", float64(1)},
			check: func(t *testing.T, r reply) {
				assert.Equal(t, linaFirst, at(r.Data, "nodes", 0, "customerId"), "the lina customer is served")
				nodes, _ := at(r.Data, "nodes").([]any)
				assert.Len(t, nodes, 2)
				require.Len(t, r.Errors, 1)
			}},
		{name: "customer of dowen by upstream id", query: `{ customer(id: "` + dowenSeedCustomerID + `") { ` + customerFields + ` } }`,
			forbidden: []any{"customer"}},
		{name: "customer of dowen by global id", query: `{ customer(id: "` + customerGID(dowenSeedCustomerID2) + `") { ` + customerFields + ` } }`,
			forbidden: []any{"customer"}},
		{name: "searchCustomers filtered to dowen", query: `{ searchCustomers(filter: {ownerIds: ["dowen"]}, first: 100) { totalCount edges { node { ` + customerFields + ` } } } }`,
			forbidden: []any{"searchCustomers"}},
		{name: "searchCustomers filtered to lina and dowen", query: `{ searchCustomers(filter: {ownerIds: ["lina", "dowen"]}) { totalCount edges { node { ` + customerFields + ` } } } }`,
			forbidden: []any{"searchCustomers"}},
		{name: "searchCustomers filtered to dowen by Staff id", query: `{ searchCustomers(filter: {ownerIds: ["` + staffGID("dowen") + `"]}) { totalCount edges { node { ` + customerFields + ` } } } }`,
			forbidden: []any{"searchCustomers"}},
		{name: "staffMember dowen customers", query: `{ staffMember(qwUserId: "dowen") { qwUserId customers(first: 5) { edges { node { ` + customerFields + ` } } } } }`,
			forbidden: []any{"staffMember"}},
	}
	runScopeCases(t, g, creds, cases, "lina")
}

// TestEmptyScope: a caller scoped to no staff member (an API key with
// staff [], a JWT with an empty staff claim, a JWT without one) sees
// nothing at all.
func TestEmptyScope(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	linaFirst := customerIDsOf(g.SB, "lina", 1)[0]
	creds := []scopeCredential{
		{"api key", apiKey(keyNobody)},
		{"jwt with empty staff", bearer(g.Issuer.Token(t, func(c jwt.MapClaims) { c["staff"] = []string{} }))},
		{"jwt without staff claim", bearer(g.Issuer.Token(t, func(c jwt.MapClaims) { delete(c, "staff") }))},
	}
	empty := func(path string) func(t *testing.T, r reply) {
		return func(t *testing.T, r reply) {
			assert.EqualValues(t, 0, at(r.Data, path, "totalCount"))
			edges, ok := at(r.Data, path, "edges").([]any)
			assert.True(t, ok && len(edges) == 0, "edges: %v", at(r.Data, path, "edges"))
		}
	}
	cases := []scopeCase{
		{name: "customers", query: `{ customers(ownerId: "lina", first: 5) { edges { node { customerId } } } }`, forbidden: []any{"customers"}},
		{name: "node", query: `{ node(id: "` + customerGID(linaFirst) + `") { id ... on Customer { customerId name } } }`, forbidden: []any{"node"}},
		{name: "customer", query: `{ customer(id: "` + linaFirst + `") { customerId name } }`, forbidden: []any{"customer"}},
		{name: "staffMember", query: `{ staffMember(qwUserId: "lina") { customers { edges { node { customerId } } } } }`, forbidden: []any{"staffMember"}},
		{name: "searchCustomers is empty", query: `{ searchCustomers(first: 50) { totalCount edges { node { customerId } } } }`, check: empty("searchCustomers")},
		{name: "searchCustomers by text is empty", query: `{ searchCustomers(filter: {text: "张"}, first: 50) { totalCount edges { node { customerId } } } }`, check: empty("searchCustomers")},
		{name: "staff is empty", query: `{ staff(first: 100) { totalCount edges { node { qwUserId } } } }`, check: empty("staff")},
	}
	runScopeCases(t, g, creds, cases, "")
}

// TestScopeCountsMatchTheSandbox: the totalCount a scoped caller sees is
// exactly its staff member's customer count, for more than one staff member.
func TestScopeCountsMatchTheSandbox(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	cases := []struct {
		name  string
		staff []string
	}{
		{"one owner", []string{"lina"}},
		{"two owners", []string{"lina", "xiehua"}},
		{"an owner without customers", []string{"zhaolei"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := 0
			for _, s := range tc.staff {
				want += len(g.SB.Data().CustomersOf(s))
			}
			tok := g.Issuer.Token(t, func(c jwt.MapClaims) { c["staff"] = tc.staff })
			r := g.post(t, `{ searchCustomers(first: 100) { totalCount edges { node { owner { qwUserId } } } } }`, bearer(tok))
			requireNoErrors(t, r)
			assert.EqualValues(t, want, at(r.Data, "searchCustomers", "totalCount"), "want %s", strconv.Itoa(want))
			for _, o := range ownersOf(t, r.Data, "searchCustomers") {
				assert.Contains(t, tc.staff, o)
			}
		})
	}
}
