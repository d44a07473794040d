package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

// The categories of bad input of the hostile HTTP phase, each with its
// weight (its share of the requests) and its variants, sent round robin.
// None of them is a valid request the gateway should serve from Tanma,
// but a few variants are valid and cheap (a document registered by hash,
// __typename), as an attacker mixes them in.

func hostileCases(k *kit) []hostileCase {
	// Built once: the large documents and bodies.
	overBody := []byte(`{"query":"{ __typename }","variables":{"pad":"` + strings.Repeat("a", maxBodyBytes) + `"}}`)
	overBodyWS := []byte(`{"query":"{` + strings.Repeat(" ", maxBodyBytes) + `__typename }"}`)
	manyTokens := `{ nodes(ids: [` + repeat(`"x"`, maxTokens+1000, ",") + `]) { id } }`
	bigString := `{ customer(id: "` + strings.Repeat("9", 900<<10) + `") { id } }`
	bigComment := "# " + strings.Repeat("c", 900<<10) + "\n{ __typename }"
	deepSelection := nest("{a", "", "}", 4900)
	deepList := `{ nodes(ids: ` + nest("[", `"x"`, "]", 7000) + `) { id } }`
	deepSchema := `{ customers(ownerId: "dowen", first: 1) { edges { node { ` +
		nest(`owner { customers(first: 1) { edges { node { `, "id", " } } } }", 6) + ` } } } }`
	deepVars := map[string]any{}
	{
		inner := deepVars
		for range 4000 {
			next := map[string]any{}
			inner["a"] = next
			inner = next
		}
	}
	bigVars := map[string]any{}
	for i := range 20000 {
		bigVars[fmt.Sprintf("v%d", i)] = i
	}
	aliases := func(n int, field string) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&b, "a%d: %s ", i, field)
		}
		b.WriteString("}")
		return b.String()
	}
	fragBomb := func() string {
		var b strings.Builder
		b.WriteString("{ ...F12 }\nfragment F0 on Query { __typename }\n")
		for i := 1; i <= 12; i++ {
			p := fmt.Sprintf("...F%d ", i-1)
			fmt.Fprintf(&b, "fragment F%d on Query { %s}\n", i, strings.Repeat(p, 4))
		}
		return b.String()
	}()
	// Named apart, so no two are the same document (gqlgen caches a
	// document it has validated).
	wideOverlap := func(i int) string {
		return fmt.Sprintf("query Wide%d { tagGroups { %s } }", i, repeat("name", 1990, " "))
	}
	wideUnknown := func(i int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "query Unknown%d { tagGroups { ", i)
		for j := range 1990 {
			fmt.Fprintf(&b, "f%d ", j)
		}
		b.WriteString("} }")
		return b.String()
	}
	directives := `{ __typename ` + repeat("@include(if: true)", 120, " ") + ` }`
	unknownDirectives := `{ __typename ` + repeat("@nope", 60, " ") + ` }`
	ids101 := make([]string, 101)
	for i := range ids101 {
		ids101[i] = "x"
	}
	bigIDs, _ := json.Marshal(ids101)
	forgedPayload := base64.RawURLEncoding.EncodeToString(append([]byte(`{"v":3,"s":"x","o":-1,"k":"1"}`), make([]byte, 16)...))
	flipped := []byte(k.cursor)
	flipped[len(flipped)/2] ^= 0x01
	if flipped[len(flipped)/2] == '-' || flipped[len(flipped)/2] == '_' { // keep it base64url
		flipped[len(flipped)/2] = 'A'
	}
	page := func(owner, after string) func() *http.Request {
		return func() *http.Request {
			return k.gql(`query($o: ID!, $a: String) { customers(ownerId: $o, first: 2, after: $a) { edges { node { id } } } }`,
				map[string]any{"o": owner, "a": after})
		}
	}
	firstIs := func(first any) func() *http.Request {
		return func() *http.Request {
			return k.gql(`query($f: Int) { customers(ownerId: "dowen", first: $f) { edges { node { id } } } }`, map[string]any{"f": first})
		}
	}
	node := func(id string) func() *http.Request {
		return func() *http.Request {
			return k.gql(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
		}
	}
	apq := func(query string, ext any) func() *http.Request {
		return func() *http.Request {
			p := map[string]any{"extensions": ext}
			if query != "" {
				p["query"] = query
			}
			b, _ := json.Marshal(p)
			return k.raw(b)
		}
	}
	pq := func(hash string) map[string]any {
		return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
	}
	sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	unknownHash := sum("never registered")
	ct := func(contentType string, body []byte) func() *http.Request {
		return func() *http.Request { return k.raw(body, "Content-Type", contentType) }
	}
	typename := []byte(`{"query":"{ __typename }"}`)
	multipartBody, multipartType := func() ([]byte, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		_ = w.WriteField("operations", `{"query":"{ __typename }"}`)
		_ = w.WriteField("map", `{}`)
		_ = w.Close()
		return b.Bytes(), w.FormDataContentType()
	}()
	withKey := func(h ...string) func() *http.Request {
		return func() *http.Request { return k.raw(typename, append([]string{"X-API-Key", ""}, h...)...) }
	}
	scoped := func(query string) func() *http.Request {
		return func() *http.Request { return k.gql(query, nil, "X-API-Key", keyScoped) }
	}
	writer := func(query string, vars map[string]any) func() *http.Request {
		return func() *http.Request { return k.gql(query, vars, "X-API-Key", keyWriter) }
	}
	q := func(query string) url.Values { return url.Values{"query": {query}} }

	return []hostileCase{
		{"malformed JSON", 500, rotate(
			func() *http.Request { return k.raw([]byte(`{"query": "{ __typename }"`)) },
			func() *http.Request { return k.raw([]byte(`not json at all`)) },
			func() *http.Request { return k.raw([]byte(`{"query":"{ __typename }"} {"query":"{ __typename }"}`)) },
			func() *http.Request { return k.raw([]byte(`{"query": 12}`)) },
			func() *http.Request { return k.raw([]byte(`{"query":"{ __typename }","variables":"x"}`)) },
			func() *http.Request { return k.raw([]byte(`{"query":"{ __typename }","variables":[1,2]}`)) },
			func() *http.Request { return k.raw([]byte(`"just a string"`)) },
			func() *http.Request { return k.raw([]byte(`{"query":"{ __typename }","extensions":5}`)) },
			func() *http.Request { return k.raw([]byte(`{"query":"{ __typename }","operationName":{}}`)) },
			func() *http.Request { return k.raw([]byte(`{"query":"\u0000{ __typename }"}`)) },
			func() *http.Request {
				return k.raw([]byte(`{"query":"query($n: Float) { __typename }","variables":{"n":1e999}}`))
			},
			func() *http.Request { return k.raw([]byte(`{"query":"{ __typename }","query":"{ nope }"}`)) },
		)},
		{"body over MAX_BODY_BYTES", 60, rotate(
			func() *http.Request { return k.raw(overBody) },
			func() *http.Request { return k.raw(overBodyWS) },
		)},
		{"wrong content type", 500, rotate(
			ct("text/plain", typename),
			ct("text/plain;charset=UTF-8", typename),
			ct("application/x-www-form-urlencoded", []byte(`query=%7B__typename%7D`)),
			ct(multipartType, multipartBody),
			ct("application/graphql", []byte(`{ __typename }`)),
			ct("", typename),
			ct("application/json; charset=utf-16", typename),
			ct("application/jsonx", typename),
			ct("*/*", typename),
			ct("application/json;;; =", typename),
		)},
		{"GET mutation", 300, rotate(
			func() *http.Request {
				return k.get("/query", q(`mutation { clueCreate(input: {name: "x", mobiles: []}) { clientMutationId } }`))
			},
			func() *http.Request { return k.get("/query", q(`mutation { __typename }`)) },
			func() *http.Request {
				return k.get("/query", url.Values{"query": {`query A { __typename } mutation B { __typename }`}, "operationName": {"B"}})
			},
		)},
		{"GET without CSRF preflight", 300, rotate(
			func() *http.Request { return k.get("/query", q(`{ __typename }`), "GraphQL-Require-Preflight", "") },
			func() *http.Request {
				return k.get("/query", q(`{ tagGroups { name } }`), "GraphQL-Require-Preflight", "", "Content-Type", "text/plain")
			},
		)},
		{"invalid UTF-8", 400, rotate(
			func() *http.Request { return k.raw([]byte("{\"query\":\"{ __typename \xff\xfe }\"}")) },
			func() *http.Request {
				return k.raw([]byte("{\"query\":\"{ customers(ownerId: \\\"\xc3\x28\\\") { edges { node { id } } } }\"}"))
			},
			func() *http.Request {
				return k.raw([]byte("{\"query\":\"query($o: ID!) { customers(ownerId: $o, first: 1) { edges { node { id } } } }\",\"variables\":{\"o\":\"\xff\"}}"))
			},
			func() *http.Request {
				return k.raw([]byte("{\"query\":\"{ __typename }\",\"operationName\":\"\xed\xa0\x80\"}"))
			},
			func() *http.Request {
				req, _ := http.NewRequest(http.MethodGet, k.base+"/query?query=%7B__typename%FF%7D", nil)
				req.Header.Set("X-API-Key", keyHostile)
				req.Header.Set("GraphQL-Require-Preflight", "1")
				return req
			},
			func() *http.Request {
				return k.raw([]byte("{\"query\":\"{ node(id: \\\"\xf0\x28\x8c\x28\\\") { id } }\"}"))
			},
		)},
		{"document over MAX_TOKENS", 300, rotate(
			k.q(manyTokens),
			k.q(bigString),
			k.q(bigComment),
		)},
		{"deep nesting", 600, rotate(
			k.q(deepSelection),
			k.q(deepList),
			k.q(deepSchema),
			func() *http.Request {
				return k.gql(`query($f: CustomerFilter) { searchCustomers(filter: $f, first: 1) { totalCount } }`, map[string]any{"f": deepVars})
			},
			func() *http.Request {
				return k.raw([]byte(`{"query":"{ __typename }","extensions":` + nest(`{"a":`, "1", "}", 9000) + `}`))
			},
		)},
		{"many aliases", 400, rotate(
			k.q(aliases(1000, "__typename")),
			k.q(aliases(31, `customers(ownerId: "dowen", first: 1) { edges { node { id } } }`)),
			k.q(`{ tagGroups { `+strings.TrimSuffix(strings.TrimPrefix(aliases(200, "name"), "{ "), "}")+` } }`),
		)},
		{"many root fields", 400, rotate(
			k.q(`{ `+repeat("__typename", 200, " ")+` }`),
			k.q(`{ `+repeat("tagGroups { name }", 25, " ")+` }`),
			k.q(aliases(21, "customerFields { key }")),
		)},
		{"fragment bombs and cycles", 400, rotate(
			k.q(fragBomb),
			k.q(`{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`),
			k.q(`{ ...A } fragment A on Query { __typename ...A }`),
			k.q(`{ `+repeat("__typename", 2100, " ")+` }`),
		)},
		{"1,990 duplicate fields (within MAX_FIELDS), each document new", 100, func(i int) *http.Request { return k.gql(wideOverlap(i), nil) }},
		{"1,990 unknown fields (within MAX_FIELDS), each document new", 100, func(i int) *http.Request { return k.gql(wideUnknown(i), nil) }},
		{"directive floods", 300, rotate(
			k.q(directives),
			k.q(unknownDirectives),
			k.q(`{ __typename @skip(if: $undeclared) }`),
		)},
		{"invalid/forged cursors", 600, rotate(
			page("dowen", "bm90IGEgY3Vyc29y"),
			page("dowen", string(flipped)),
			page("dowen", k.cursor[:len(k.cursor)/2]),
			page("chenjing", k.cursor), // another list's cursor
			page("dowen", forgedPayload),
			page("dowen", strings.Repeat("A", 400<<10)),
			page("dowen", "!!!***"),
			func() *http.Request {
				return k.gql(`query($b: String) { customers(ownerId: "dowen", last: 2, before: $b) { edges { node { id } } } }`, map[string]any{"b": "forged"})
			},
		)},
		{"negative/huge first", 500, rotate(
			firstIs(-1), firstIs(-2147483648), firstIs(101), firstIs(100000), firstIs(2147483647),
			firstIs(2147483648.0), firstIs(1.5), firstIs("10"),
			k.q(`{ customers(ownerId: "dowen", first: 99999999999) { edges { node { id } } } }`),
			k.q(`{ customers(ownerId: "dowen", last: -5) { edges { node { id } } } }`),
			k.q(`{ customers(ownerId: "dowen", first: 1, last: 1) { edges { node { id } } } }`),
			k.q(`{ staff(first: -1) { edges { node { name } } } }`),
			k.q(`{ searchCustomers(first: 100000) { totalCount } }`),
		)},
		{"malformed ids (node, nodes, customer)", 800, rotate(
			node("x"), node(""), node("!!!!"), node(gid("Customer:")), node(gid("customer:1")), node(gid("Customer:abc")),
			node(gid("Customer:-1")), node(gid("Customer:1e5")), node(gid("Customer:99999999999999999999999")),
			node(gid("Nope:1")), node(gid("Staff:\x00")), node(gid(strings.Repeat("A", 10000)+":1")), node(gid("Tag:\n")),
			func() *http.Request {
				return k.raw([]byte(`{"query":"query($i: [ID!]!) { nodes(ids: $i) { id } }","variables":{"i":` + string(bigIDs) + `}}`))
			},
			k.q(`{ nodes(ids: ["x", "", "`+gid("Customer:abc")+`"]) { id } }`),
			k.q(`{ customer(id: "-1") { id } }`),
			k.q(`{ customer(id: "abc") { id } }`),
			k.q(`{ customer(id: "1 OR 1=1") { id } }`),
			k.q(`{ customer(id: "123456789012345678901234567890") { id } }`),
			k.q(`{ customer(id: "") { id } }`),
			k.q(`{ staffMember(qwUserId: "../../etc/passwd") { name } }`),
		)},
		{"bad variables", 600, rotate(
			func() *http.Request {
				return k.gql(`query($o: ID!) { customers(ownerId: $o, first: 1) { edges { node { id } } } }`, nil)
			},
			func() *http.Request {
				return k.gql(`query($o: ID!) { customers(ownerId: $o, first: 1) { edges { node { id } } } }`, map[string]any{"o": nil})
			},
			func() *http.Request {
				return k.gql(`query($o: ID!) { customers(ownerId: $o, first: 1) { edges { node { id } } } }`, map[string]any{"o": map[string]any{"x": 1}})
			},
			func() *http.Request {
				return k.gql(`query($o: ID!) { customers(ownerId: $o, first: 1) { edges { node { id } } } }`, map[string]any{"o": []int{1, 2}})
			},
			func() *http.Request {
				return k.gql(`query($f: Int) { customers(ownerId: "dowen", first: $f) { edges { node { id } } } }`, map[string]any{"f": "abc"})
			},
			func() *http.Request { return k.gql(`{ __typename }`, map[string]any{"zzz": 1}) },
			k.q(`{ customers(ownerId: $nope, first: 1) { edges { node { id } } } }`),
			k.q(`query($o: Nope) { __typename }`),
			k.q(`query($f: String) { customers(ownerId: "dowen", first: $f) { edges { node { id } } } }`),
			func() *http.Request { return k.gql(`query($v: Int) { __typename }`, bigVars) },
			func() *http.Request {
				return k.gql(`query($f: CustomerFilter) { searchCustomers(filter: $f, first: 1) { totalCount } }`,
					map[string]any{"f": map[string]any{"createdSince": "not a time", "tagIds": []any{1, nil}}})
			},
		)},
		{"persisted-query tricks", 600, rotate(
			apq(`{ __typename }`, pq(unknownHash)), // hash mismatch
			apq("", pq(unknownHash)),               // unknown hash
			apq(`{ __typename }`, map[string]any{"persistedQuery": "x"}),
			apq(`{ __typename }`, map[string]any{"persistedQuery": map[string]any{"version": 2, "sha256Hash": sum(`{ __typename }`)}}),
			apq(`{ __typename }`, map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": 5}}),
			apq("", map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": "zz"}}),
			apq("", map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("a", 5000)}}),
			apq("", map[string]any{"persistedQuery": nil}),
			func() *http.Request {
				return k.get("/query", url.Values{"extensions": {`{"persistedQuery":`}})
			},
			func() *http.Request {
				return k.get("/query", url.Values{"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"` + unknownHash + `"}}`}})
			},
		)},
		{"APQ registration flood (valid, distinct)", 200, func(i int) *http.Request {
			doc := fmt.Sprintf("query Q%d { __typename }", i)
			return apq(doc, pq(sum(doc)))()
		}},
		{"introspection without permission", 400, rotate(
			k.q(`{ __schema { types { name } } }`),
			k.q(`{ __type(name: "Customer") { name fields { name } } }`),
			k.q(`{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }`),
			func() *http.Request { return k.method(http.MethodGet, "/schema.graphql") },
			k.q(`{ __typename }`),
		)},
		{"unknown fields and types", 500, rotate(
			k.q(`{ nope }`),
			k.q(`{ custmers(ownerId: "dowen") { id } }`),
			k.q(`{ customers(ownerId: "dowen", frist: 1) { edges { node { id } } } }`),
			k.q(`{ ... on Nope { id } }`),
			k.q(`{ customer(id: "1") { nmae } }`),
			k.q(`mutation { nope }`),
			k.q(`{ customers(ownerId: "dowen", first: 1) { edges { node { fields { ... on TextCustomerFeild { text } } } } } }`),
		)},
		{"batched arrays", 300, rotate(
			func() *http.Request { return k.raw([]byte(`[{"query":"{ __typename }"}]`)) },
			func() *http.Request { return k.raw([]byte(`[` + repeat(`{"query":"{ __typename }"}`, 100, ",") + `]`)) },
			func() *http.Request { return k.raw([]byte(`[]`)) },
			func() *http.Request { return k.raw([]byte(`[[{"query":"{ __typename }"}]]`)) },
		)},
		{"empty body", 400, rotate(
			func() *http.Request { return k.raw(nil) },
			func() *http.Request { return k.raw([]byte(`{}`)) },
			func() *http.Request { return k.raw([]byte(`{"query":""}`)) },
			func() *http.Request { return k.raw([]byte(`{"query":"   "}`)) },
			func() *http.Request { return k.raw([]byte(`null`)) },
			func() *http.Request { return k.raw([]byte(`   `)) },
			func() *http.Request { return k.raw([]byte(`{"query":null}`)) },
			func() *http.Request { return k.raw([]byte(`{"query":"# only a comment"}`)) },
		)},
		{"missing/invalid credentials", 600, rotate(
			withKey(),
			withKey("X-API-Key", keyUnknown),
			withKey("X-API-Key", keyHostile, "Authorization", "ApiKey "+keyHostile),
			withKey("Authorization", "Bearer not.a.jwt"),
			withKey("Authorization", "ApiKey "),
			withKey("Authorization", "Basic dXNlcjpwYXNz"),
			withKey("X-API-Key", strings.Repeat("k", 8000)),
			withKey("X-API-Key", keyHostile+" "),
			func() *http.Request {
				r := k.raw(typename)
				r.Header.Add("X-API-Key", keyUnknown)
				return r
			},
			func() *http.Request { return k.method(http.MethodGet, "/schema.graphql", "X-API-Key", "") },
			func() *http.Request { return k.get("/query", q(`{ __typename }`), "X-API-Key", "") },
		)},
		{"foreign Origin", 400, rotate(
			func() *http.Request { return k.raw(typename, "Origin", foreignOrigin, "Sec-Fetch-Site", "cross-site") },
			func() *http.Request { return k.raw(typename, "Origin", foreignOrigin) },
			func() *http.Request { return k.raw(typename, "Origin", "null", "Sec-Fetch-Site", "cross-site") },
			func() *http.Request {
				return k.method(http.MethodOptions, "/query", "Origin", foreignOrigin, "Access-Control-Request-Method", "POST",
					"Access-Control-Request-Headers", "content-type,x-api-key")
			},
			func() *http.Request {
				return k.method(http.MethodGet, "/schema.graphql", "Origin", foreignOrigin, "Sec-Fetch-Site", "cross-site")
			},
			func() *http.Request {
				return k.get("/query", q(`{ __typename }`), "Origin", foreignOrigin, "Sec-Fetch-Site", "cross-site")
			},
		)},
		{"staff scope escape", 300, rotate(
			scoped(`{ customers(ownerId: "chenjing", first: 1) { edges { node { id } } } }`),
			scoped(`{ customers(ownerId: "`+gid("Staff:chenjing")+`", first: 1) { edges { node { id } } } }`),
			scoped(`{ staffMember(qwUserId: "chenjing") { name } }`),
		)},
		{"subscription over HTTP", 200, rotate(
			k.q(`subscription { customerChanged { kind } }`),
			func() *http.Request { return k.get("/query", q(`subscription { customerChanged { kind } }`)) },
		)},
		{"method and path abuse", 400, rotate(
			func() *http.Request { return k.method(http.MethodPut, "/query") },
			func() *http.Request { return k.method(http.MethodDelete, "/query") },
			func() *http.Request { return k.method(http.MethodPatch, "/query") },
			func() *http.Request { return k.method("TRACE", "/query") },
			func() *http.Request { return k.method(http.MethodPost, "/schema.graphql") },
			func() *http.Request { return k.method(http.MethodGet, "/metrics") },
			func() *http.Request { return k.method(http.MethodGet, "/upstream-status") },
			func() *http.Request { return k.method(http.MethodGet, "/debug/pprof/") },
			func() *http.Request { return k.method(http.MethodGet, "/sandbox/pushes") },
			func() *http.Request { return k.method(http.MethodPost, "/sandbox/simulate/new-customer") },
			func() *http.Request { return k.method(http.MethodGet, "/query/../metrics") },
			func() *http.Request { return k.method(http.MethodGet, eventsPath) },
		)},
		{"operation selection", 300, rotate(
			k.q(`query A { __typename } query B { __typename }`),
			func() *http.Request {
				return k.raw([]byte(`{"query":"query A { __typename }","operationName":"Nope"}`))
			},
			func() *http.Request {
				return k.raw([]byte(`{"query":"query A { __typename }","operationName":"` + strings.Repeat("A", 10000) + `"}`))
			},
			k.q(`{ __typename } query B { __typename }`),
		)},
		{"over MAX_COMPLEXITY", 300, rotate(
			k.q(`{ customers(ownerId: "dowen", first: 100) { edges { node { followUps(first: 100) { edges { node { content } } } } } } }`),
			k.q(aliases(20, `customers(ownerId: "dowen", first: 100) { edges { node { id name tags { name } fields { key text } } } }`)),
		)},
		{"oversized headers and URL", 60, rotate(
			func() *http.Request { return k.get("/query", q(`{ __typename }`+strings.Repeat(" ", 2<<20))) },
			func() *http.Request { return k.raw(typename, "X-Pad", strings.Repeat("p", 2<<20)) },
			func() *http.Request {
				r := k.raw(typename)
				for i := range 2000 {
					r.Header.Set(fmt.Sprintf("X-Pad-%d", i), strings.Repeat("p", 600))
				}
				return r
			},
		)},
		{"mutations without permission or bad input", 300, rotate(
			k.q(`mutation { customerUpdate(input: {id: "398604120668224", fields: [{key: "description", text: "x"}]}) { clientMutationId } }`),
			writer(`mutation($i: CustomerUpdateInput!) { customerUpdate(input: $i) { clientMutationId } }`,
				map[string]any{"i": map[string]any{"id": "not-an-id", "fields": []any{map[string]any{"key": "nope", "text": "x"}}}}),
			writer(`mutation($i: CustomersTransferInput!) { customersTransfer(input: $i) { transferredCount } }`,
				map[string]any{"i": map[string]any{"customerIds": ids101, "toStaffId": "nobody"}}),
			writer(`mutation { clueCreate(input: {name: "", mobiles: ["not a phone"]}) { clientMutationId } }`, nil),
		)},
	}
}
