package server_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/introspection"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/limits"
)

// The limits the matrix configures explicitly.
const (
	limTokens     = 15000
	limDepth      = 12
	limAliases    = 30
	limRootFields = 20
	limDirectives = 50
	limComplexity = 1000
	limBodyBytes  = 256 << 10
)

func explicitLimits() limits.Limits {
	return limits.Limits{
		MaxTokens: limTokens, MaxDepth: limDepth, MaxAliases: limAliases, MaxRootFields: limRootFields,
		MaxDirectives: limDirectives, MaxComplexity: limComplexity, MaxBodyBytes: limBodyBytes,
	}
}

// depthQuery nests customers → edges → node → owner → customers ... down
// to exactly depth levels (depth >= 4).
func depthQuery(depth int) string {
	steps := []string{"edges", "node", "owner", "customers(first: 1)"}
	var b strings.Builder
	b.WriteString(`{ customers(ownerId: "lina", first: 1)`)
	level, open := 1, 0
	for ; level < depth-1; level++ {
		b.WriteString(" { " + steps[(level-1)%len(steps)])
		open++
	}
	// The last level is a leaf of whatever type the chain stopped at.
	leaf := map[string]string{"edges": "cursor", "node": "customerId", "owner": "qwUserId", "customers(first: 1)": "__typename"}
	last := steps[(level-2+len(steps))%len(steps)]
	if level == 1 {
		last = "customers(first: 1)"
	}
	b.WriteString(" { " + leaf[last])
	open++
	b.WriteString(strings.Repeat(" }", open) + " }")
	return b.String()
}

// aliasQuery asks for n aliased fields under one root field.
func aliasQuery(n int) string {
	var b strings.Builder
	b.WriteString(`{ staffMember(qwUserId: "lina") {`)
	for i := range n {
		fmt.Fprintf(&b, " a%d: qwUserId", i)
	}
	b.WriteString(" } }")
	return b.String()
}

// rootFieldsQuery asks for n root fields.
func rootFieldsQuery(n int) string {
	return "{ " + strings.Repeat("__typename ", n) + "}"
}

// directivesQuery puts n @include(if: true) on one field.
func directivesQuery(n int) string {
	return "{ __typename " + strings.Repeat("@include(if: true) ", n) + "}"
}

// commentTokensQuery is exactly n parser tokens: a three-token query after
// n-3 comment lines (gqlparser counts each comment as a token).
func commentTokensQuery(n int) string {
	return strings.Repeat("#\n", n-3) + "{__typename}"
}

// fieldTokensQuery is exactly n parser tokens, all of them real fields.
func fieldTokensQuery(n int) string {
	return "{" + strings.Repeat(" __typename", n-2) + " }"
}

// complexityQuery costs exactly limComplexity (plus extra root
// __typename fields, one point each): four staff pages of 83 at 1 + 83×3.
func complexityQuery(extra int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range 4 {
		fmt.Fprintf(&b, " s%d: staff(first: 83) { edges { node { qwUserId } } }", i)
	}
	b.WriteString(strings.Repeat(" __typename", extra) + " }")
	return b.String()
}

// paddedBody is a valid GraphQL JSON body of exactly n bytes.
func paddedBody(n int) string {
	const body = `{"query":"{__typename}"}`
	return body + strings.Repeat(" ", n-len(body))
}

// TestOperationLimits: each limit just under (served) and just over
// (refused with its code, a 4xx status and no data).
func TestOperationLimits(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{NoJWT: true, Limits: explicitLimits()})
	require.Equal(t, limComplexity, 4*(1+83*3), "complexityQuery's arithmetic")
	cases := []struct {
		name   string
		query  string // sent as {"query": ...}
		body   string // raw body instead
		header http.Header
		status int
		code   string // "": served without errors
		limit  any    // extensions.limit
		cost   any    // extensions.cost
	}{
		{name: "depth at the limit", query: depthQuery(limDepth), status: 200},
		{name: "depth over the limit", query: depthQuery(limDepth + 1), status: 200, code: "QUERY_LIMIT_EXCEEDED", limit: "depth"},
		{name: "depth over the limit through fragments", status: 200, code: "QUERY_LIMIT_EXCEEDED", limit: "depth",
			query: `query { customers(ownerId: "lina", first: 1) { ...E } }
				fragment E on CustomerConnection { edges { node { owner { ...S } } } }
				fragment S on Staff { customers(first: 1) { edges { node { owner { customers(first: 1) { edges { node { owner { qwUserId } } } } } } } } }`},
		{name: "introspection is not counted in depth", query: introspection.Query, header: apiKey(keyAdmin), status: 200},
		{name: "aliases at the limit", query: aliasQuery(limAliases), status: 200},
		{name: "aliases over the limit", query: aliasQuery(limAliases + 1), status: 200, code: "QUERY_LIMIT_EXCEEDED", limit: "aliases"},
		{name: "root fields at the limit", query: rootFieldsQuery(limRootFields), status: 200},
		{name: "root fields over the limit", query: rootFieldsQuery(limRootFields + 1), status: 200, code: "QUERY_LIMIT_EXCEEDED", limit: "rootFields"},
		{name: "root fields over the limit through a fragment", status: 200, code: "QUERY_LIMIT_EXCEEDED", limit: "rootFields",
			query: "{ ...F ...F } fragment F on Query { " + strings.Repeat("__typename ", limRootFields/2+1) + "}"},
		// @include is not repeatable: validation refuses a second one on a
		// field before the directive limit is looked at, so no field of
		// this schema can carry more than two directives (@include, @skip).
		{name: "directives: @include and @skip on one field", query: "{ __typename @include(if: true) @skip(if: false) }", status: 200},
		{name: "directives: 50 @include on one field", query: directivesQuery(limDirectives), status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "directives: 51 @include on one field", query: directivesQuery(limDirectives + 1), status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "tokens at the limit", query: commentTokensQuery(limTokens), status: 200},
		{name: "tokens over the limit", query: commentTokensQuery(limTokens + 1), status: 200, code: "GRAPHQL_PARSE_FAILED"},
		{name: "tokens over the limit, all fields", query: fieldTokensQuery(limTokens + 1), status: 200, code: "GRAPHQL_PARSE_FAILED"},
		{name: "complexity at the limit", query: complexityQuery(0), status: 200},
		{name: "complexity over the limit", query: complexityQuery(1), status: 200, code: "COMPLEXITY_LIMIT_EXCEEDED",
			limit: float64(limComplexity), cost: float64(limComplexity + 1)},
		{name: "body at the limit", body: paddedBody(limBodyBytes), status: 200},
		{name: "body over the limit", body: paddedBody(limBodyBytes + 1), status: 413, code: "BAD_REQUEST"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := tc.header
			if h == nil {
				h = apiKey(keyPlain)
			}
			r := g.send(t, request{query: tc.query, body: tc.body, header: h})
			require.Equal(t, tc.status, r.Status, clipBody(r.Body))
			if tc.code == "" {
				requireNoErrors(t, r)
				return
			}
			requireOnlyCode(t, r, tc.code)
			assert.Nil(t, r.Data)
			assertNoCustomerData(t, r.Body, g.SB)
			if tc.limit != nil {
				assert.Equal(t, tc.limit, r.Errors[0].Extensions["limit"])
			}
			if tc.cost != nil {
				assert.Equal(t, tc.cost, r.Errors[0].Extensions["cost"])
			}
		})
	}
	t.Run("depthQuery builds the depth it names", func(t *testing.T) {
		t.Parallel()
		for _, d := range []int{4, 5, limDepth, limDepth + 1} {
			q := depthQuery(d)
			assert.Equal(t, strings.Count(q, "{"), strings.Count(q, "}"), q)
			assert.Equal(t, d, strings.Count(q, "{"), "one brace per level but the leaf's, plus the operation's: %s", q)
		}
	})
}

// TestDirectiveLimit: the directive limit itself, on a gateway whose
// limit a legal query can cross (one directive per field).
func TestDirectiveLimit(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{NoJWT: true, Limits: limits.Limits{MaxDirectives: 1}})
	cases := []struct {
		name, query string
		status      int
		code        string
	}{
		{"one directive", "{ __typename @include(if: true) }", 200, ""},
		{"two directives", "{ __typename @include(if: true) @skip(if: false) }", 200, "QUERY_LIMIT_EXCEEDED"},
		{"two directives on a nested field", `{ staffMember(qwUserId: "lina") { qwUserId @include(if: true) @skip(if: false) } }`, 200, "QUERY_LIMIT_EXCEEDED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := g.post(t, tc.query, apiKey(keyPlain))
			require.Equal(t, tc.status, r.Status, r.Body)
			if tc.code == "" {
				requireNoErrors(t, r)
				return
			}
			requireOnlyCode(t, r, tc.code)
			assert.Equal(t, "directives", r.Errors[0].Extensions["limit"])
			assert.Nil(t, r.Data)
		})
	}
}

// TestDuplicateFieldsAreCheap: a query of thousands of copies of one field
// stays under the token limit, yet validating it (gqlparser's
// OverlappingFieldsCanBeMerged compares every pair of same-named fields)
// takes seconds of CPU.
func TestDuplicateFieldsAreCheap(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{NoJWT: true})
	q := `{ staffMember(qwUserId: "lina") {` + strings.Repeat(" __typename", 14990) + ` } }`
	start := time.Now()
	r := g.post(t, q, apiKey(keyPlain))
	assert.Less(t, time.Since(start), 2*time.Second, "answered in %s", time.Since(start))
	assert.NotEmpty(t, r.Errors, "refused: %s", clipBody(r.Body))
	assert.Nil(t, r.Data, clipBody(r.Body))
}

// TestFragmentBombIsCheap: a short document whose fragments each spread the
// next one twice stands for 2^30 fields. It is refused on the field count
// at once, before anything walks the fragments one spread at a time.
func TestFragmentBombIsCheap(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{NoJWT: true})
	const levels = 30
	var b strings.Builder
	b.WriteString("query { ...F0 }")
	for i := range levels {
		fmt.Fprintf(&b, " fragment F%d on Query { ...F%d ...F%d }", i, i+1, i+1)
	}
	fmt.Fprintf(&b, " fragment F%d on Query { __typename }", levels)
	require.Less(t, b.Len(), 2000, "a short document")
	start := time.Now()
	r := g.post(t, b.String(), apiKey(keyPlain))
	assert.Less(t, time.Since(start), 2*time.Second, "answered in %s", time.Since(start))
	require.Equal(t, http.StatusOK, r.Status, clipBody(r.Body))
	requireOnlyCode(t, r, "QUERY_LIMIT_EXCEEDED")
	assert.Equal(t, "fields", r.Errors[0].Extensions["limit"])
}

// TestCallerBudget: each caller spends its own query-cost budget; a spent
// budget answers 429 with Retry-After and RATE_LIMITED, and other callers
// are not affected.
func TestCallerBudget(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{Budget: limits.NewMemoryBudget(0.01, 10, 100)})
	const costs6 = `{ staff(first: 5) { totalCount } }`   // 1 + 5×1
	const costs11 = `{ staff(first: 10) { totalCount } }` // over the whole burst
	jwtUser := bearer(g.Issuer.Token(t, func(c jwt.MapClaims) { c["sub"] = "budget-user" }))
	// Sequential: each step spends what the next one relies on.
	steps := []struct {
		name   string
		query  string
		header http.Header
		status int
	}{
		{"first request of a caller", costs6, apiKey(keyPlain), 200},
		{"second request of the same caller", costs6, apiKey(keyPlain), 429},
		{"the same caller again", `{ __typename }`, apiKey(keyPlain), 200}, // costs 1: what is left
		{"another API key", costs6, apiKey(keyOther), 200},
		{"a JWT caller", costs6, jwtUser, 200},
		{"a query over the whole burst", costs11, apiKey(keyAdmin), 429},
		{"that caller with a query it can afford", costs6, apiKey(keyAdmin), 200},
	}
	for _, st := range steps {
		r := g.post(t, st.query, st.header)
		require.Equal(t, st.status, r.Status, "%s: %s", st.name, r.Body)
		if st.status == 200 {
			require.Empty(t, r.Errors, "%s: %s", st.name, r.Body)
			assert.Empty(t, r.Header.Get("Retry-After"), st.name)
			continue
		}
		requireOnlyCode(t, r, "RATE_LIMITED")
		assert.Nil(t, r.Data, st.name)
		ra := r.Header.Get("Retry-After")
		secs, err := strconv.Atoi(ra)
		require.NoError(t, err, "%s: Retry-After %q", st.name, ra)
		assert.GreaterOrEqual(t, secs, 1, st.name)
		assert.EqualValues(t, secs, r.Errors[0].Extensions["retryAfter"], "%s: Retry-After and extensions.retryAfter agree", st.name)
	}
}

// TestIntrospectionPolicy: with the "permission" policy only callers
// holding the introspect permission read the schema, by introspection or
// at /schema.graphql; with "off" nobody does.
func TestIntrospectionPolicy(t *testing.T) {
	t.Parallel()
	perm := startGateway(t, gatewayOptions{Introspection: auth.IntrospectionPermission})
	off := startGateway(t, gatewayOptions{NoJWT: true, Introspection: auth.IntrospectionOff})
	jwtIntrospect := bearer(perm.Issuer.Token(t, func(c jwt.MapClaims) { c["scope"] = "openid introspect" }))
	jwtPlain := bearer(perm.Issuer.Token(t, func(c jwt.MapClaims) { c["scope"] = "openid" }))
	const schemaQuery = `{ __schema { types { name } } }`
	const typeQuery = `{ __type(name: "Customer") { fields { name } } }`
	type outcome int
	const (
		served outcome = iota
		refused
	)
	cases := []struct {
		name   string
		g      *gateway
		req    request
		want   outcome
		status int
		code   string // of a refusal
	}{
		{"__schema without the permission", perm, request{query: schemaQuery, header: apiKey(keyPlain)}, refused, 200, "FORBIDDEN"},
		{"__type without the permission", perm, request{query: typeQuery, header: apiKey(keyPlain)}, refused, 200, "FORBIDDEN"},
		{"__schema with a JWT without the permission", perm, request{query: schemaQuery, header: jwtPlain}, refused, 200, "FORBIDDEN"},
		{"SDL without the permission", perm, request{method: "GET", path: "/schema.graphql", header: apiKey(keyPlain)}, refused, 403, "FORBIDDEN"},
		{"__typename without the permission", perm, request{query: `{ __typename }`, header: apiKey(keyPlain)}, served, 200, ""},
		{"__schema with the permission", perm, request{query: schemaQuery, header: apiKey(keyAdmin)}, served, 200, ""},
		{"__type with the permission", perm, request{query: typeQuery, header: apiKey(keyAdmin)}, served, 200, ""},
		{"__schema with a JWT with the permission", perm, request{query: schemaQuery, header: jwtIntrospect}, served, 200, ""},
		{"SDL with the permission", perm, request{method: "GET", path: "/schema.graphql", header: apiKey(keyAdmin)}, served, 200, ""},
		{"SDL with a JWT with the permission", perm, request{method: "GET", path: "/schema.graphql", header: jwtIntrospect}, served, 200, ""},
		{"policy off: __schema with the permission", off, request{query: schemaQuery, header: apiKey(keyAdmin)}, refused, 200, "FORBIDDEN"},
		{"policy off: SDL with the permission", off, request{method: "GET", path: "/schema.graphql", header: apiKey(keyAdmin)}, refused, 403, "FORBIDDEN"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tc.g.send(t, tc.req)
			require.Equal(t, tc.status, r.Status, clipBody(r.Body))
			sdl := tc.req.path == "/schema.graphql"
			if tc.want == served {
				if sdl {
					assert.Contains(t, r.Header.Get("Content-Type"), "text/plain")
					assert.Contains(t, r.Body, "type Customer implements Node")
					return
				}
				requireNoErrors(t, r)
				if strings.Contains(tc.req.query, "__schema") {
					assert.Contains(t, r.Body, `"name":"Customer"`)
				}
				return
			}
			assert.NotContains(t, r.Body, "Customer")
			assert.NotContains(t, r.Body, "customerId")
			require.True(t, r.JSON, r.Body)
			require.NotEmpty(t, r.Errors, r.Body)
			requireOnlyCode(t, r, tc.code)
			if !sdl {
				assert.Nil(t, r.Data, r.Body)
			}
		})
	}
}

// TestIntrospectionRefusalCode: a refused introspection says why, with a
// client error code, instead of an internal error.
func TestIntrospectionRefusalCode(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{NoJWT: true})
	for _, q := range []string{`{ __schema { types { name } } }`, `{ __type(name: "Customer") { name } }`} {
		r := g.post(t, q, apiKey(keyPlain))
		requireOnlyCode(t, r, "FORBIDDEN")
		assert.Contains(t, r.Errors[0].Message, "introspect")
		assert.NotContains(t, g.Logs.String(), `"level":"ERROR"`)
	}
}

// TestSchemaRefusalCode: the 403 of /schema.graphql carries FORBIDDEN, the
// code of every other authorization refusal.
func TestSchemaRefusalCode(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{NoJWT: true})
	r := g.send(t, request{method: "GET", path: "/schema.graphql", header: apiKey(keyPlain)})
	require.Equal(t, 403, r.Status)
	requireOnlyCode(t, r, "FORBIDDEN")
}

// TestNoFieldSuggestions: validation errors never say "Did you mean" when
// introspection is not "on", whoever asks; with "on" they do.
func TestNoFieldSuggestions(t *testing.T) {
	t.Parallel()
	perm := startGateway(t, gatewayOptions{NoJWT: true, Introspection: auth.IntrospectionPermission})
	off := startGateway(t, gatewayOptions{NoJWT: true, Introspection: auth.IntrospectionOff})
	onURL, _ := newServer(t) // server_test.go: open auth, introspection on
	on := &gateway{URL: onURL}
	typos := []struct {
		name, query string
		onSuggests  bool // the "on" policy answers with a suggestion
	}{
		{name: "field", query: `{ custmers(ownerId: "lina") { edges { cursor } } }`, onSuggests: true},
		{name: "nested field", query: `{ staffMember(qwUserId: "lina") { custmers { edges { cursor } } } }`, onSuggests: true},
		{name: "inline fragment type", query: `{ node(id: "x") { ... on Custmer { id } } }`},
		{name: "argument", query: `{ customers(ownerID: "lina") { edges { cursor } } }`, onSuggests: true},
		{name: "variable type", query: `query ($f: CustomerFiltr) { searchCustomers(filter: $f) { totalCount } }`},
		{name: "fragment type", query: `{ node(id: "x") { ...F } } fragment F on Custmer { id }`, onSuggests: true},
		{name: "input field", query: `{ searchCustomers(filter: {ownerId: ["lina"]}) { totalCount } }`, onSuggests: true},
	}
	for _, tc := range typos {
		for _, v := range []struct {
			name    string
			g       *gateway
			header  http.Header
			suggest bool
		}{
			{"permission policy, plain key", perm, apiKey(keyPlain), false},
			{"permission policy, key with introspect", perm, apiKey(keyAdmin), false},
			{"off policy, key with introspect", off, apiKey(keyAdmin), false},
			{"on policy", on, nil, true},
		} {
			t.Run(v.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				r := v.g.post(t, tc.query, v.header)
				require.Equal(t, 200, r.Status, r.Body)
				requireOnlyCode(t, r, "GRAPHQL_VALIDATION_FAILED")
				if v.suggest {
					if tc.onSuggests {
						assert.Contains(t, r.Body, "Did you mean", "the probe can see a suggestion")
					}
					return
				}
				assert.NotContains(t, r.Body, "Did you mean")
				assert.NotContains(t, r.Body, `"customers"`)
				assert.NotContains(t, r.Body, `"Customer"`)
			})
		}
	}
}
