package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/sandbox"
)

// writeKey is an API key with the write permission.
const writeKey = "e2e-write-key-P3v9"

const clueCreate = `mutation($in: ClueCreateInput!) { clueCreate(input: $in) { customer { customerId name } } }`

// TestMutationsAreGuarded: through the real server, a mutation needs the
// write permission, is refused over GET (405), as a form post (415) and
// from another site (403); the one allowed write is logged without the
// values written.
func TestMutationsAreGuarded(t *testing.T) {
	sb := &sandbox.Server{}
	keys := fmt.Sprintf(`[{"id":"reader","sha256":%q,"permissions":["introspect"]},{"id":"writer","sha256":%q,"permissions":["write"]}]`,
		auth.HashAPIKey(testAPIKey), auth.HashAPIKey(writeKey))
	g := startGateway(t, sb, nil, map[string]string{"API_KEYS": keys})
	before := sb.Data()
	vars := map[string]any{"in": map[string]any{"name": "王小明", "mobiles": []string{"13600000077"}}}

	r := g.query(t, clueCreate, vars)
	assert.Equal(t, []string{"FORBIDDEN"}, r.codes(), r.Raw)

	send := func(method, target, contentType, body string, header ...string) *http.Response {
		req, err := http.NewRequest(method, g.url+target, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("X-API-Key", writeKey)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	doc := `mutation { clueCreate(input: {name: "王小明", mobiles: ["13600000077"]}) { customer { customerId } } }`
	resp := send(http.MethodGet, "/query?query="+url.QueryEscape(doc), "", "", "GraphQL-Require-Preflight", "1")
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "GET")
	assert.Equal(t, http.MethodPost, resp.Header.Get("Allow"))
	resp = send(http.MethodPost, "/query", "text/plain", fmt.Sprintf(`{"query":%q}`, doc))
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode, "form-like post")
	resp = send(http.MethodPost, "/query", "application/json", fmt.Sprintf(`{"query":%q}`, doc), "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "cross-site post")
	assert.Same(t, before, sb.Data(), "no refused mutation changed anything")

	r = g.queryAs(t, writeKey, clueCreate, vars)
	require.Empty(t, r.Errors, r.Raw)
	assert.Len(t, sb.Data().Customers, len(before.Customers)+1)
	require.NoError(t, g.stop())
	logs := g.out.String()
	assert.Contains(t, logs, `"mutation":"clueCreate"`)
	assert.Contains(t, logs, `"msg":"write"`)
	assert.NotContains(t, logs, "王小明", "no written value in the logs")
	assert.NotContains(t, logs, "13600000077", "no phone number in the logs")
}

// TestAnonymousCallersReadButNeverWriteARealTenant: the read override
// (INSECURE_ALLOW_UNAUTHENTICATED) against a real tenant lets anonymous
// callers read, not write; writing needs its own loud setting.
func TestAnonymousCallersReadButNeverWriteARealTenant(t *testing.T) {
	vars := map[string]any{"in": map[string]any{"name": "王小明", "mobiles": []string{"13600000077"}}}
	open := map[string]string{"API_KEYS": "", "INSECURE_ALLOW_UNAUTHENTICATED": "yes-expose-customer-data"}

	sb := &sandbox.Server{}
	g := startGateway(t, sb, nil, open)
	before := sb.Data()
	r := g.queryAs(t, "", `{ customers(ownerId: "dowen", first: 1) { edges { cursor } } }`, nil)
	assert.Empty(t, r.Errors, r.Raw)
	r = g.queryAs(t, "", clueCreate, vars)
	assert.Equal(t, []string{"FORBIDDEN"}, r.codes(), r.Raw)
	assert.Same(t, before, sb.Data(), "nothing written")
	require.NoError(t, g.stop())
	assert.Contains(t, g.out.String(), "can read every customer (not change them")

	open["INSECURE_ALLOW_ANONYMOUS_WRITES"] = "yes-let-anyone-change-customers"
	g = startGateway(t, sb, nil, open)
	r = g.queryAs(t, "", clueCreate, vars)
	assert.Empty(t, r.Errors, r.Raw)
	require.NoError(t, g.stop())
	assert.Contains(t, g.out.String(), "can read and CHANGE every customer")
}
