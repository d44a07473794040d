package server_test

// Shared fixtures of the security matrices (auth_test.go, scope_test.go,
// limits_test.go, csrf_test.go, cors_test.go): a gateway served over real
// HTTP with the real handler chain, a real *auth.Authenticator configured
// with API keys (only their SHA-256 configured) and a JWT issuer whose JWKS
// and signing keys the test controls.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/auth/authtest"
	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/logtest"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/server"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// The API keys of the test gateways. Only their hashes are configured.
const (
	keyAdmin   = "tk_admin_5b1d0c7e"   // unscoped, may introspect
	keyPlain   = "tk_plain_9a4e21f3"   // unscoped, no permission
	keyOther   = "tk_other_0c8d77aa"   // unscoped, no permission (a second caller)
	keyLina    = "tk_lina_71e2b9d4"    // scoped to the staff member lina
	keyNobody  = "tk_nobody_3f60ce18"  // scoped to no staff member at all
	keyRevoked = "tk_revoked_d2a94b60" // configured on the first gateway only
	keyPeople  = "tk_people_6c1f0e93"  // unscoped, may see personal data whole
)

// Sandbox facts the matrices rely on (see internal/sandbox/data.go).
const (
	dowenSeedCustomerID  = "398604120668224" // the first customer of Tanma's own example page, owned by dowen
	dowenSeedCustomerID2 = "398923388842048" // its second one, 张三测, also dowen's
	dowenSeedMobile      = "18910515284"     // 张三测's phone number
)

// testKeys are the API keys of a gateway: every key above.
func testKeys() []auth.APIKey {
	return []auth.APIKey{
		{ID: "admin", SHA256: auth.HashAPIKey(keyAdmin), Permissions: []string{auth.PermIntrospect}},
		{ID: "plain", SHA256: auth.HashAPIKey(keyPlain)},
		{ID: "other", SHA256: auth.HashAPIKey(keyOther)},
		{ID: "lina-dashboard", SHA256: auth.HashAPIKey(keyLina), StaffIDs: []string{"lina"}},
		{ID: "nobody", SHA256: auth.HashAPIKey(keyNobody), StaffIDs: []string{}},
		{ID: "revoked", SHA256: auth.HashAPIKey(keyRevoked)},
		{ID: "people", SHA256: auth.HashAPIKey(keyPeople), Permissions: []string{auth.PermPersonalData}},
	}
}

// withoutKey returns keys without the one whose id is id (a revoked key).
func withoutKey(keys []auth.APIKey, id string) []auth.APIKey {
	out := make([]auth.APIKey, 0, len(keys))
	for _, k := range keys {
		if k.ID != id {
			out = append(out, k)
		}
	}
	return out
}

// allStaff are the sandbox's staff members: the staff claim of the test
// issuer's tokens, so that its valid tokens read every owner's customers.
var allStaff = []string{"lina", "dowen", "chenjing", "zhaolei", "wangfang"}

// newIssuer starts a test identity provider (EC key ec-1, RSA key rsa-1)
// whose tokens are valid, unscoped by default (subject user-1, may
// introspect) and carry every staff member.
func newIssuer(t *testing.T) *authtest.Provider {
	t.Helper()
	iss := authtest.NewProvider(t)
	iss.Staff = allStaff
	return iss
}

// jwtConfig is the JWT configuration trusting iss; tokens carry staff in
// authtest.StaffClaim.
func jwtConfig(iss *authtest.Provider) *auth.JWTConfig {
	return &auth.JWTConfig{JWKSURL: iss.URL, Issuer: authtest.Issuer, Audience: authtest.Audience, StaffClaim: authtest.StaffClaim}
}

// gatewayOptions configure a test gateway; the zero value is API keys
// (testKeys) plus JWT (a fresh issuer), default limits, no CORS origins,
// SimpleGET off.
type gatewayOptions struct {
	Keys          []auth.APIKey // nil: testKeys()
	NoJWT         bool
	Issuer        *authtest.Provider // nil: a fresh one (unless NoJWT)
	Limits        limits.Limits      // zero fields: the defaults
	Introspection auth.Introspection // zero: permission
	Budget        limits.Budget      // nil: none
	CORS          server.CORS
	SimpleGET     bool
	// Upstream (nil: none) is put in front of the sandbox, such as
	// sandboxtest.Rewrite.
	Upstream func(http.Handler) http.Handler
	// JWTLeeway (zero: the default) is the tokens' leeway.
	JWTLeeway time.Duration
	// Open: no caller authentication (Keys and JWT unused), every
	// permission, and CORS.Own the loopback origins of the test server's
	// port, as with the sandbox.
	Open bool
	// QPS (0: none) is the upstream quota, calls per second with bursts of
	// as many, as TANMA_QPS sets it (the real local quota).
	QPS float64
	// NoFederation: FEDERATION=off.
	NoFederation bool
	// RequestTimeout (0: none) bounds one GraphQL request, as
	// REQUEST_TIMEOUT does.
	RequestTimeout time.Duration
}

// gateway is a server.New served over real HTTP.
type gateway struct {
	URL    string
	SB     *sandbox.Server
	Issuer *authtest.Provider // nil when JWT is off
	Logs   *logtest.Buffer
	Bus    *events.Bus // what subscriptions hear: publish to it as the receiver would
	Server *server.Server
}

// startGateway builds the gateway's handler with server.New and serves it
// until the test ends.
func startGateway(t *testing.T, o gatewayOptions) *gateway {
	t.Helper()
	sb, tc := sandboxtest.StartBehind(t, nil, o.Upstream, tanma.WithRateLimit(o.QPS, int(o.QPS)))
	log, logs := logtest.JSON(nil)
	g := &gateway{SB: sb, Logs: logs}
	cfg := auth.Config{APIKeys: o.Keys}
	if cfg.APIKeys == nil {
		cfg.APIKeys = testKeys()
	}
	if o.Open {
		cfg = auth.Config{Open: true, OpenPermissions: auth.Permissions()}
	} else if !o.NoJWT {
		g.Issuer = o.Issuer
		if g.Issuer == nil {
			g.Issuer = newIssuer(t)
		}
		cfg.JWT = jwtConfig(g.Issuer)
		cfg.JWT.Leeway = o.JWTLeeway
	}
	authn, err := auth.New(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(authn.Close)
	resolver := server.NewResolver(tc, log, refdata.DefaultPolicy, nil)
	g.Bus = events.NewBus(nil, nil, log)
	t.Cleanup(g.Bus.Close)
	resolver.Events = g.Bus
	ts := httptest.NewUnstartedServer(nil) // its port is known before it serves
	t.Cleanup(ts.Close)
	if o.Open {
		_, port, err := net.SplitHostPort(ts.Listener.Addr().String())
		require.NoError(t, err)
		o.CORS.Own = server.LoopbackOrigins(port)
	}
	srv, err := server.New(server.Options{
		Resolver:       resolver,
		Auth:           authn,
		GraphQL:        executor.Options{Limits: o.Limits, Introspection: o.Introspection, CallerBudget: o.Budget},
		CORS:           o.CORS,
		SimpleGET:      o.SimpleGET,
		NoFederation:   o.NoFederation,
		RequestTimeout: o.RequestTimeout,
	})
	require.NoError(t, err)
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(srv.EndSubscriptions) // runs first: WebSockets end before the server closes
	g.URL, g.Server = ts.URL, srv
	return g
}

// request is one HTTP request to a gateway.
type request struct {
	method string // default POST
	path   string // default /query
	query  string // for a POST: the GraphQL query, sent as {"query": ...}
	body   string // raw body (instead of query)
	header http.Header
	host   string // the Host header ("": the server's address)
}

// hdr builds a header from name/value pairs.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// apiKey is the header of a request made with key.
func apiKey(key string) http.Header { return hdr("X-API-Key", key) }

// bearer is the header of a request made with token.
func bearer(token string) http.Header { return hdr("Authorization", "Bearer "+token) }

// gqlError is one entry of a GraphQL response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// reply is a gateway's answer.
type reply struct {
	Status int
	Header http.Header
	Body   string
	Data   map[string]any // nil when data is null or absent
	Errors []gqlError
	JSON   bool // the body decoded as a JSON object
}

// send makes r over real HTTP and reads the answer.
func (g *gateway) send(t *testing.T, r request) reply {
	t.Helper()
	method, path := r.method, r.path
	if method == "" {
		method = http.MethodPost
	}
	if path == "" {
		path = "/query"
	}
	body := r.body
	if body == "" && r.query != "" {
		b, err := json.Marshal(map[string]any{"query": r.query})
		require.NoError(t, err)
		body = string(b)
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, g.URL+path, rd)
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.host != "" {
		req.Host = r.host
	}
	for name, values := range r.header {
		req.Header.Del(name)
		for _, v := range values {
			req.Header.Add(name, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := reply{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
	var parsed struct {
		Data   map[string]any `json:"data"`
		Errors []gqlError     `json:"errors"`
	}
	if json.Unmarshal(b, &parsed) == nil {
		out.JSON, out.Data, out.Errors = true, parsed.Data, parsed.Errors
	}
	return out
}

// post sends query with the given headers.
func (g *gateway) post(t *testing.T, query string, h http.Header) reply {
	t.Helper()
	return g.send(t, request{query: query, header: h})
}

// codes lists the extensions.code of every error.
func (r reply) codes() []string {
	out := make([]string, 0, len(r.Errors))
	for _, e := range r.Errors {
		c, _ := e.Extensions["code"].(string)
		out = append(out, c)
	}
	return out
}

// errorWithCode returns the first error with code.
func (r reply) errorWithCode(code string) (gqlError, bool) {
	for _, e := range r.Errors {
		if e.Extensions["code"] == code {
			return e, true
		}
	}
	return gqlError{}, false
}

// requireOnlyCode asserts the answer is a JSON error response whose errors
// all carry code (and that there is at least one).
func requireOnlyCode(t *testing.T, r reply, code string) {
	t.Helper()
	require.True(t, r.JSON, "not a JSON body: %s", r.Body)
	require.NotEmpty(t, r.Errors, r.Body)
	for _, c := range r.codes() {
		assert.Equal(t, code, c, r.Body)
	}
	for _, e := range r.Errors {
		assert.NotEmpty(t, e.Extensions["requestId"], "every error names its request: %s", r.Body)
	}
}

// requireNoErrors asserts a clean 200 answer with data.
func requireNoErrors(t *testing.T, r reply) {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, r.Body)
	require.Empty(t, r.Errors, r.Body)
	require.NotNil(t, r.Data, r.Body)
}

// at walks a decoded JSON value along path (map keys and list indexes).
func at(v any, path ...any) any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[p]
		case float64: // an index of a JSON error path
			v = at(v, int(p))
		case int:
			l, ok := v.([]any)
			if !ok || p >= len(l) {
				return nil
			}
			v = l[p]
		}
	}
	return v
}

// customerGID is the global id of a customer.
func customerGID(id string) string { return relay.GlobalID("Customer", id) }

// staffGID is the global id of a staff member.
func staffGID(qwUserID string) string { return relay.GlobalID("Staff", qwUserID) }

// customerIDsOf lists the upstream ids of the first n customers of owner
// (every one when n <= 0).
func customerIDsOf(sb *sandbox.Server, owner string, n int) []string {
	cs := sb.Data().CustomersOf(owner)
	if n > 0 && len(cs) > n {
		cs = cs[:n]
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.CustomerID.String()
	}
	return out
}

// assertNoCustomerDataOf asserts body holds nothing that identifies a
// customer of owner: no upstream id or global id of any of their customers,
// and none of the seed example's personal data when owner is dowen. Ids the
// caller sent itself (those in input) may be echoed in error messages, but
// never in data.
func assertNoCustomerDataOf(t *testing.T, body string, sb *sandbox.Server, owner string, input ...string) {
	t.Helper()
	var parsed struct {
		Data json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal([]byte(body), &parsed)
	data := string(parsed.Data)
	in := strings.Join(input, "\n")
	for _, id := range customerIDsOf(sb, owner, 0) {
		gid := customerGID(id)
		echoed := in != "" && (strings.Contains(in, id) || strings.Contains(in, gid))
		if strings.Contains(data, id) || strings.Contains(data, gid) ||
			(!echoed && (strings.Contains(body, id) || strings.Contains(body, gid))) {
			t.Errorf("the answer holds customer %s of %s: %s", id, owner, clipBody(body))
			return
		}
	}
	if owner == "dowen" {
		for _, s := range []string{dowenSeedMobile, "张三测"} {
			if !strings.Contains(in, s) {
				assert.NotContains(t, body, s)
			}
		}
	}
}

// assertNoCustomerData asserts body carries no customer at all (401s, 403s,
// refused queries).
func assertNoCustomerData(t *testing.T, body string, sb *sandbox.Server) {
	t.Helper()
	assert.NotContains(t, body, "customerId")
	assert.NotContains(t, body, `"edges"`)
	for _, owner := range []string{"dowen", "lina"} {
		assertNoCustomerDataOf(t, body, sb, owner)
	}
}

func clipBody(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// b64 is the standard base64 of s (how global ids are made).
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// urlQuery escapes a GraphQL query for a GET URL.
func urlQuery(q string) string { return url.QueryEscape(q) }
