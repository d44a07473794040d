package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/bench/queries"
	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// The Accept headers of the clients that read @defer over multipart/mixed
// (Apollo Client 3, Apollo Client 4 with its Defer20220824Handler, urql).
const (
	apolloAccept  = "multipart/mixed;deferSpec=20220824,application/json"
	apollo4Accept = "multipart/mixed;deferSpec=20220824,application/graphql-response+json,application/json;q=0.9"
	urqlAccept    = "multipart/mixed, application/graphql-response+json, application/graphql+json, application/json, text/event-stream"
)

// payload is one part of a multipart/mixed answer.
type payload struct {
	Data        map[string]any `json:"data"`
	Errors      []gqlError     `json:"errors"`
	HasNext     *bool          `json:"hasNext"`
	Incremental []struct {
		Data   map[string]any `json:"data"`
		Path   []any          `json:"path"`
		Label  string         `json:"label"`
		Errors []gqlError     `json:"errors"`
	} `json:"incremental"`
	at time.Duration // when it was read whole, from the request's start
}

// streamed is an answer read part by part.
type streamed struct {
	Status int
	Header http.Header
	Body   string    // the answer when it is not multipart
	Parts  []payload // the parts when it is
}

// postStreamed posts a query with variables and headers and reads the
// answer; a multipart/mixed one part by part, noting when each was read.
func (g *gateway) postStreamed(t *testing.T, query string, vars map[string]any, h http.Header) streamed {
	t.Helper()
	return g.postStreamedBody(t, map[string]any{"query": query, "variables": vars}, h)
}

// postStreamedBody is postStreamed with the request's whole body.
func (g *gateway) postStreamedBody(t *testing.T, params map[string]any, h http.Header) streamed {
	t.Helper()
	body, err := json.Marshal(params)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, g.URL+"/query", strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for name, values := range h {
		req.Header[name] = values
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out := streamed{Status: resp.StatusCode, Header: resp.Header}
	mediaType, mediaParams, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	require.NoError(t, err)
	if mediaType != "multipart/mixed" {
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		out.Body = string(b)
		return out
	}
	mr := multipart.NewReader(resp.Body, mediaParams["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		assert.Equal(t, "application/json; charset=utf-8", part.Header.Get("Content-Type"))
		b, err := io.ReadAll(part)
		require.NoError(t, err)
		var p payload
		require.NoError(t, json.Unmarshal(b, &p), "%s", b)
		p.at = time.Since(start)
		out.Parts = append(out.Parts, p)
	}
	return out
}

// merged is the data of a multipart answer with every incremental entry
// merged in at its path, as a client merges it.
func (s streamed) merged(t *testing.T) map[string]any {
	t.Helper()
	require.NotEmpty(t, s.Parts)
	data := s.Parts[0].Data
	for _, p := range s.Parts[1:] {
		for _, inc := range p.Incremental {
			target, ok := at(data, inc.Path...).(map[string]any)
			require.True(t, ok, "path %v", inc.Path)
			for k, v := range inc.Data {
				target[k] = v
			}
		}
	}
	return data
}

// deferredEntries checks the parts after the first of a deferred
// dashboard answer: every entry at a customer of the page (once each),
// hasNext true until the last part; it returns the entries' errors by
// customer index.
func (s streamed) deferredEntries(t *testing.T, customers int) map[int][]gqlError {
	t.Helper()
	require.GreaterOrEqual(t, len(s.Parts), 2, "an initial part and at least one more")
	first := s.Parts[0]
	require.NotNil(t, first.HasNext)
	assert.True(t, *first.HasNext, "the initial part says more follows")
	assert.Empty(t, first.Incremental)
	seen := map[int]bool{}
	errs := map[int][]gqlError{}
	for i, p := range s.Parts[1:] {
		last := i == len(s.Parts)-2
		require.NotNil(t, p.HasNext)
		assert.Equal(t, !last, *p.HasNext, "hasNext is false in the last part only")
		assert.Nil(t, p.Data, "later parts carry data in their incremental entries")
		for _, inc := range p.Incremental {
			require.Len(t, inc.Path, 4, "%v", inc.Path)
			assert.Equal(t, []any{"customers", "edges"}, inc.Path[:2])
			assert.Equal(t, "node", inc.Path[3])
			n := int(inc.Path[2].(float64))
			assert.False(t, seen[n], "customer %d delivered twice", n)
			seen[n] = true
			assert.Contains(t, inc.Data, "followUps")
			assert.Len(t, inc.Data, 1, "only the deferred field")
			if len(inc.Errors) > 0 {
				errs[n] = inc.Errors
			}
		}
	}
	assert.Len(t, seen, customers, "every customer's follow-ups, once")
	return errs
}

// TestDeferredDashboardStreams: README's dashboard query with the
// follow-ups deferred, from Apollo Client (3 or 4) or urql, is answered in
// parts:
// the rows first (every customer, followUps null), while the follow-ups
// are still being read (the sandbox takes 300 ms over each), then each
// customer's follow-up at its path, hasNext false in the last part. Merged
// as a client merges them, the parts are the one JSON answer the same
// query gets without multipart/mixed in Accept (the cursor aside: it names
// its walk, new for each request).
func TestDeferredDashboardStreams(t *testing.T) {
	t.Parallel()
	for name, accept := range map[string]string{"Apollo Client 3": apolloAccept, "Apollo Client 4": apollo4Accept, "urql": urqlAccept} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := startGateway(t, gatewayOptions{})
			vars := map[string]any{"owner": "lina"}
			g.SB.SetFaults(followUpsTaking(300 * time.Millisecond))
			s := g.postStreamed(t, queries.DashboardDeferredFollowUps, vars, hdr("X-API-Key", keyPlain, "Accept", accept))
			require.Equal(t, http.StatusOK, s.Status)
			assert.Equal(t, `multipart/mixed; boundary="-"; deferSpec=20220824`, s.Header.Get("Content-Type"))
			edges := at(s.Parts[0].Data, "customers", "edges").([]any)
			require.Len(t, edges, 50)
			for i := range edges {
				node := at(edges, i, "node").(map[string]any)
				assert.NotEmpty(t, node["name"], "the rows are in the first part")
				assert.Contains(t, node, "followUps")
				assert.Nil(t, node["followUps"], "a deferred field is null until its part")
			}
			assert.Empty(t, s.Parts[0].Errors)
			assert.Empty(t, s.deferredEntries(t, 50), "no errors")
			assert.Equal(t, int64(50), g.SB.Calls(tanma.PathListFollowUps), "one follow-up read per customer, as inline")
			last := s.Parts[len(s.Parts)-1].at
			assert.Greater(t, last-s.Parts[0].at, 150*time.Millisecond,
				"the rows arrived while the follow-ups were being read (first part %s, last %s)", s.Parts[0].at, last)

			// The same without multipart: one JSON answer (the follow-ups
			// now come from the store's cache).
			g.SB.ClearFaults()
			whole := g.postStreamed(t, queries.DashboardDeferredFollowUps, vars, apiKey(keyPlain))
			require.Equal(t, http.StatusOK, whole.Status, whole.Body)
			assert.Equal(t, "application/json", whole.Header.Get("Content-Type"))
			assert.NotContains(t, whole.Body, `"hasNext":`)
			var one struct {
				Data   map[string]any `json:"data"`
				Errors []gqlError     `json:"errors"`
			}
			require.NoError(t, json.Unmarshal([]byte(whole.Body), &one))
			require.Empty(t, one.Errors)
			assert.Equal(t, int64(50), g.SB.Calls(tanma.PathListFollowUps), "the follow-ups the parts read are kept")
			merged := s.merged(t)
			for _, data := range []map[string]any{one.Data, merged} {
				// a cursor names its walk, new for each request
				delete(at(data, "customers", "pageInfo").(map[string]any), "endCursor")
			}
			if !assert.ObjectsAreEqual(one.Data, merged) {
				a, _ := json.Marshal(one.Data)
				b, _ := json.Marshal(merged)
				assert.JSONEq(t, string(a), string(b), "merged, the parts are the one JSON answer")
			}
		})
	}
}

// TestMultipartOnlyForDeferredQueries: under a multipart Accept, an
// operation that defers nothing, a mutation that defers, and a request
// with no multipart in Accept are each one JSON answer; a query whose
// @defer leaves nothing for later too (if: false, plain fields resolved
// with their object, a root field, which gqlgen never defers).
func TestMultipartOnlyForDeferredQueries(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{Open: true})
	for _, tc := range []struct {
		name, query, accept string
		vars                map[string]any
	}{
		{"no @defer", queries.DashboardFollowUps, apolloAccept, map[string]any{"owner": "lina"}},
		{"no @defer, urql", queries.DashboardFollowUps, urqlAccept, map[string]any{"owner": "lina"}},
		{"@defer(if: false)", `query($owner: ID!) { customers(ownerId: $owner, first: 3) { edges { node { id
			... @defer(if: false) { followUps(first: 1) { edges { node { content } } } } } } } }`, apolloAccept, map[string]any{"owner": "lina"}},
		{"@defer on plain fields only", `query($owner: ID!) { customers(ownerId: $owner, first: 3) { edges { node { id
			... @defer { name mobiles } } } } }`, apolloAccept, map[string]any{"owner": "lina"}},
		{"@defer on a root field", `query($owner: ID!) { ... @defer { customers(ownerId: $owner, first: 3) { edges { node { id } } } } }`,
			apolloAccept, map[string]any{"owner": "lina"}},
		{"multipart refused (q=0)", queries.DashboardDeferredFollowUps, "multipart/mixed;q=0, application/json", map[string]any{"owner": "lina"}},
		{"another deferSpec", queries.DashboardDeferredFollowUps, "multipart/mixed;deferSpec=20230621, application/json", map[string]any{"owner": "lina"}},
		{"no multipart", queries.DashboardDeferredFollowUps, "application/json", map[string]any{"owner": "lina"}},
		{"a mutation", `mutation($id: ID!) { customerUpdate(input: {id: $id, fields: [{key: "description", text: "deferred"}]}) { customer { id
			... @defer { followUps(first: 1) { edges { node { content } } } } } } }`, apolloAccept,
			map[string]any{"id": customerIDsOf(g.SB, "lina", 1)[0]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := g.postStreamed(t, tc.query, tc.vars, hdr("Accept", tc.accept))
			require.Equal(t, http.StatusOK, s.Status, s.Body)
			assert.Regexp(t, `^application/(json|graphql-response\+json)$`, s.Header.Get("Content-Type"))
			require.Empty(t, s.Parts)
			assert.NotContains(t, s.Body, `"hasNext":`)
			assert.NotContains(t, s.Body, `"errors"`)
			assert.NotContains(t, s.Body, `"followUps":null`, "nothing deferred is left out")
		})
	}
}

// TestRequestErrorsUnderMultipartAcceptAreJSON: a request error (the
// document does not validate, the operation costs too much, the caller is
// not authenticated, a persisted query is unknown) from a client that
// accepts multipart/mixed is the JSON error answer it always is, with the
// status GraphQL over HTTP asks for the JSON media type negotiated (200
// with application/json, 400 with application/graphql-response+json) and
// no data entry.
func TestRequestErrorsUnderMultipartAcceptAreJSON(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{Limits: limits.Limits{MaxComplexity: 2000}})
	const invalid = `{ customers(ownerId: "lina") { edges { node { nope ... @defer { followUps { edges { node { content } } } } } } } }`
	for _, tc := range []struct {
		name, query, accept, key, body string
		status                         int
		code, contentType              string
	}{
		{"invalid, Apollo", invalid, apolloAccept, keyPlain, "", http.StatusOK, "GRAPHQL_VALIDATION_FAILED", "application/json"},
		{"invalid, urql", invalid, urqlAccept, keyPlain, "", http.StatusBadRequest, "GRAPHQL_VALIDATION_FAILED", "application/graphql-response+json"},
		{"too costly", queries.DashboardDeferredFollowUps, apolloAccept, keyPlain, "", http.StatusOK, "COMPLEXITY_LIMIT_EXCEEDED", "application/json"},
		{"unauthenticated", queries.DashboardDeferredFollowUps, apolloAccept, "", "", http.StatusUnauthorized, "UNAUTHENTICATED", "application/json"},
		{"unknown persisted query", "", apolloAccept, keyPlain,
			`{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"` + strings.Repeat("ab", 32) + `"}}}`,
			http.StatusOK, "PERSISTED_QUERY_NOT_FOUND", "application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := hdr("Accept", tc.accept)
			if tc.key != "" {
				h.Set("X-API-Key", tc.key)
			}
			r := g.send(t, request{query: tc.query, body: withOwner(tc.query, tc.body), header: h})
			assert.Equal(t, tc.status, r.Status, r.Body)
			assert.Equal(t, tc.contentType, strings.Split(r.Header.Get("Content-Type"), ";")[0], r.Body)
			requireOnlyCode(t, r, tc.code)
			assert.NotContains(t, r.Body, `"data"`)
			assert.NotContains(t, r.Body, `"hasNext":`)
		})
	}
}

// TestPersistedDeferredQueryStreams: a deferred query sent as an automatic
// persisted query streams as the same query sent whole does, when it is
// registered and when it is then sent by its hash alone.
func TestPersistedDeferredQueryStreams(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	sum := sha256.Sum256([]byte(queries.DashboardDeferredFollowUps))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	vars := map[string]any{"owner": "lina"}
	for _, params := range []map[string]any{
		{"query": queries.DashboardDeferredFollowUps, "variables": vars, "extensions": ext},
		{"variables": vars, "extensions": ext},
	} {
		s := g.postStreamedBody(t, params, hdr("X-API-Key", keyPlain, "Accept", apolloAccept))
		require.Equal(t, http.StatusOK, s.Status, s.Body)
		require.NotEmpty(t, s.Parts, "a multipart answer: %s", s.Body)
		assert.Empty(t, s.deferredEntries(t, 50))
	}
}

// withOwner is the body of a request: body when set, else the query with
// the dashboard's owner variable.
func withOwner(query, body string) string {
	if body != "" {
		return body
	}
	b, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"owner": "lina"}})
	return string(b)
}

// TestDeferredErrorIsInItsPart: a deferred field whose read fails (Tanma
// refuses every follow-up read) is null in its incremental entry, with its
// error there at its path, through the error presenter (code, request id);
// the initial part has none.
func TestDeferredErrorIsInItsPart(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	g.SB.SetFaults(sandbox.Faults{Code: 50001, Paths: []string{tanma.PathListFollowUps}})
	s := g.postStreamed(t, queries.DashboardDeferredFollowUps, map[string]any{"owner": "lina"},
		hdr("X-API-Key", keyPlain, "Accept", apolloAccept, "X-Request-Id", "deferred-error"))
	require.Equal(t, http.StatusOK, s.Status)
	require.NotEmpty(t, s.Parts, "a multipart answer")
	assert.Empty(t, s.Parts[0].Errors)
	errs := s.deferredEntries(t, 50)
	require.Len(t, errs, 50, "each customer's entry has its error")
	for n, list := range errs {
		require.Len(t, list, 1)
		e := list[0]
		assert.Equal(t, []any{"customers", "edges", float64(n), "node", "followUps"}, e.Path)
		assert.Equal(t, "UPSTREAM_ERROR", e.Extensions["code"])
		assert.Equal(t, "deferred-error", e.Extensions["requestId"])
	}
	for _, p := range s.Parts[1:] {
		for _, inc := range p.Incremental {
			assert.Equal(t, map[string]any{"followUps": nil}, inc.Data)
		}
	}
}

// TestPersonalDataIsMaskedInDeferredParts: a follow-up's content is
// masked in its deferred part as it is in one JSON answer (a phone number
// written in it, for a caller without the personal-data permission), and
// whole for a caller with it.
func TestPersonalDataIsMaskedInDeferredParts(t *testing.T) {
	t.Parallel()
	const phone = "13812345678"
	g := startGateway(t, gatewayOptions{Upstream: followUpsMention(phone)})
	for key, want := range map[string]string{keyPlain: "138****5678", keyPeople: phone} {
		s := g.postStreamed(t, queries.DashboardDeferredFollowUps, map[string]any{"owner": "lina"},
			hdr("X-API-Key", key, "Accept", apolloAccept))
		require.Equal(t, http.StatusOK, s.Status)
		contents := 0
		for _, p := range s.Parts[1:] {
			for _, inc := range p.Incremental {
				for _, edge := range at(inc.Data, "followUps", "edges").([]any) {
					content := at(edge, "node", "content").(string)
					assert.Equal(t, "call back on "+want, content)
					contents++
				}
			}
		}
		assert.Positive(t, contents, "follow-ups came in the deferred parts")
		if key == keyPlain {
			for _, p := range s.Parts {
				b, _ := json.Marshal(p)
				assert.NotContains(t, string(b), phone, "no whole phone number in any part")
			}
		}
	}
}

// TestDeferredStreamEndsWithTheRequest: a client that goes away after the
// first part ends its request (the follow-ups still being read are
// dropped, the handler returns, nothing waits for good); a request whose
// deadline passes before its deferred parts ends its answer with a last
// part that says so (hasNext false, UPSTREAM_UNAVAILABLE).
func TestDeferredStreamEndsWithTheRequest(t *testing.T) {
	t.Parallel()
	requireShapedExecutor(t)
	t.Run("client gone", func(t *testing.T) {
		t.Parallel()
		g := startGateway(t, gatewayOptions{Open: true})
		g.SB.SetFaults(followUpsTaking(2 * time.Second))
		// One customer: one deferred fragment, the case where gqlgen's own
		// wait for it was left waiting every other time.
		const q = `{ customers(ownerId: "lina", first: 1) { edges { node { id ... @defer { followUps(first: 1) { edges { node { content } } } } } } } }`
		for i := range 8 {
			body, _ := json.Marshal(map[string]any{"query": q})
			req, err := http.NewRequest(http.MethodPost, g.URL+"/query", strings.NewReader(string(body)))
			require.NoError(t, err)
			req.Header = hdr("Content-Type", "application/json", "Accept", apolloAccept, "X-Request-Id", fmt.Sprintf("gone-%d", i))
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			mr := multipart.NewReader(resp.Body, "-")
			part, err := mr.NextPart()
			require.NoError(t, err)
			_, err = io.ReadAll(part)
			require.NoError(t, err, "the first part")
			require.NoError(t, resp.Body.Close())
		}
		for i := range 8 {
			id := fmt.Sprintf(`"request_id":"gone-%d"`, i)
			assert.Eventually(t, func() bool { return strings.Contains(g.Logs.String(), id) }, 3*time.Second, 10*time.Millisecond,
				"request %d ended (its log line) well before its follow-ups would have been read", i)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		t.Parallel()
		g := startGateway(t, gatewayOptions{RequestTimeout: 500 * time.Millisecond})
		g.SB.SetFaults(followUpsTaking(5 * time.Second))
		start := time.Now()
		s := g.postStreamed(t, queries.DashboardDeferredFollowUps, map[string]any{"owner": "lina"},
			hdr("X-API-Key", keyPlain, "Accept", apolloAccept))
		assert.Less(t, time.Since(start), 3*time.Second, "the answer ends with the request's deadline")
		require.Equal(t, http.StatusOK, s.Status, s.Body)
		require.GreaterOrEqual(t, len(s.Parts), 2)
		lastPart := s.Parts[len(s.Parts)-1]
		require.NotNil(t, lastPart.HasNext)
		assert.False(t, *lastPart.HasNext, "the answer is closed")
		var codes []string
		for _, p := range s.Parts[1:] {
			for _, e := range p.Errors {
				codes = append(codes, e.Extensions["code"].(string))
			}
			for _, inc := range p.Incremental {
				for _, e := range inc.Errors {
					codes = append(codes, e.Extensions["code"].(string))
				}
			}
		}
		require.NotEmpty(t, codes, "the client is told why follow-ups are missing")
		for _, c := range codes {
			assert.Equal(t, "UPSTREAM_UNAVAILABLE", c)
		}
	})
}

// followUpsTaking makes the sandbox take d over each follow-up read.
func followUpsTaking(d time.Duration) sandbox.Faults {
	return sandbox.Faults{Latency: d, Paths: []string{tanma.PathListFollowUps}}
}

// followUpsMention is an upstream whose follow-ups all read "call back on"
// phone.
func followUpsMention(phone string) func(http.Handler) http.Handler {
	return sandboxtest.Rewrite(tanma.PathListFollowUps, func(_, env map[string]any) {
		data, _ := env["data"].(map[string]any)
		list, _ := data["list"].([]any)
		for _, item := range list {
			item.(map[string]any)["content"] = "call back on " + phone
		}
	})
}

// requireShapedExecutor skips a test of what only the shaped executor
// does (internal/execgen): graph/generated.go is gqlgen's plain output
// when it does not import internal/marshal (EXECGEN_PLAIN=1, which CI
// runs the suite on).
func requireShapedExecutor(t *testing.T) {
	t.Helper()
	src, err := os.ReadFile("../../graph/generated.go")
	require.NoError(t, err)
	if !strings.Contains(string(src), `"github.com/tanma-gql/gateway/internal/marshal"`) {
		t.Skip("graph/generated.go is gqlgen's plain output (EXECGEN_PLAIN=1): its wait for a deferred part may never end")
	}
}
