package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/server"
)

// rebound is the address a DNS rebinding attack makes a browser use for
// gateway g: a name of the attacker's that now resolves to g's address,
// at g's port. Its page's requests are same-origin to the browser: Host
// and Origin both name the attacker.
func rebound(t *testing.T, g *gateway) string {
	t.Helper()
	u, err := url.Parse(g.URL)
	require.NoError(t, err)
	return "attacker.example:" + u.Port()
}

// TestOpenModeOrigins: without caller authentication a browser reaches
// /query and /schema.graphql only from an allowed origin or the gateway's
// own (its playground on a loopback address at its port), never because
// its Origin (or, for a same-origin GET, which sends none, its Host)
// merely matches the Host header: that is what DNS rebinding forges.
// Requests from no browser still pass. With callers authenticated the
// rules are today's: a rebound page has no credential to send anyway.
func TestOpenModeOrigins(t *testing.T) {
	t.Parallel()
	const dash, evil = "https://dash.example", "https://evil.example"
	cors := server.CORS{AllowedOrigins: []string{dash}}
	open := startGateway(t, gatewayOptions{Open: true, CORS: cors})
	authed := startGateway(t, gatewayOptions{NoJWT: true, CORS: cors})
	openHost, authedHost := strings.TrimPrefix(open.URL, "http://"), strings.TrimPrefix(authed.URL, "http://")
	openPort := openHost[strings.LastIndexByte(openHost, ':')+1:]
	openRebound, authedRebound := rebound(t, open), rebound(t, authed)
	const query = `{ staff(first: 1) { totalCount } }`
	get := "/query?query=" + urlQuery(query)
	key := func(kv ...string) http.Header { return hdr(append([]string{"X-API-Key", keyPlain}, kv...)...) }
	cases := []struct {
		name   string
		g      *gateway
		req    request
		status int
	}{
		// Open mode: the gateway's own pages and the allowed origins.
		{"open: the playground's POST", open, request{query: query, header: hdr("Origin", "http://"+openHost, "Sec-Fetch-Site", "same-origin")}, 200},
		{"open: the playground at localhost", open, request{query: query, host: "localhost:" + openPort,
			header: hdr("Origin", "http://localhost:"+openPort, "Sec-Fetch-Site", "same-origin")}, 200},
		{"open: the playground at [::1]", open, request{query: query, host: "[::1]:" + openPort,
			header: hdr("Origin", "http://[::1]:"+openPort, "Sec-Fetch-Site", "same-origin")}, 200},
		{"open: the playground's same-origin GET", open, request{method: "GET", path: get,
			header: hdr("Sec-Fetch-Site", "same-origin", "GraphQL-Require-Preflight", "1")}, 200},
		{"open: the playground's SDL", open, request{method: "GET", path: "/schema.graphql", header: hdr("Sec-Fetch-Site", "same-origin")}, 200},
		{"open: an allowed origin's POST", open, request{query: query, header: hdr("Origin", dash, "Sec-Fetch-Site", "cross-site")}, 200},
		{"open: an allowed origin's preflight", open, request{method: "OPTIONS",
			header: hdr("Origin", dash, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")}, 204},
		{"open: an allowed origin's GET without a preflight header (urql)", open, request{method: "GET", path: get,
			header: hdr("Origin", dash, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "cors")}, 200},
		{"open: a cross-site image GET (no Origin)", open, request{method: "GET", path: get,
			header: hdr("Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image")}, 400},
		{"open: no browser", open, request{query: query}, 200},
		{"open: no browser, GET", open, request{method: "GET", path: get, header: hdr("GraphQL-Require-Preflight", "1")}, 200},
		{"open: the user's own navigation to the SDL", open, request{method: "GET", path: "/schema.graphql", host: openRebound,
			header: hdr("Sec-Fetch-Site", "none")}, 200},
		// Open mode: DNS rebinding, and other origins.
		{"open: rebound POST", open, request{query: query, host: openRebound,
			header: hdr("Origin", "http://"+openRebound, "Sec-Fetch-Site", "same-origin")}, 403},
		{"open: rebound POST from an old browser (Origin alone)", open, request{query: query, host: openRebound,
			header: hdr("Origin", "http://"+openRebound)}, 403},
		{"open: rebound GET (no Origin)", open, request{method: "GET", path: get, host: openRebound,
			header: hdr("Sec-Fetch-Site", "same-origin", "GraphQL-Require-Preflight", "1")}, 403},
		{"open: rebound SDL", open, request{method: "GET", path: "/schema.graphql", host: openRebound,
			header: hdr("Sec-Fetch-Site", "same-origin")}, 403},
		{"open: rebound preflight", open, request{method: "OPTIONS", host: openRebound,
			header: hdr("Origin", "http://"+openRebound, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")}, 403},
		{"open: another origin's GET", open, request{method: "GET", path: get,
			header: hdr("Origin", evil, "Sec-Fetch-Site", "cross-site", "GraphQL-Require-Preflight", "1")}, 403},
		{"open: a loopback origin at another port", open, request{query: query,
			header: hdr("Origin", "http://127.0.0.1:1", "Sec-Fetch-Site", "same-site")}, 403},
		{"open: the gateway's address over https", open, request{query: query,
			header: hdr("Origin", "https://"+openHost, "Sec-Fetch-Site", "same-site")}, 403},
		{"open: a null origin", open, request{query: query, header: hdr("Origin", "null", "Sec-Fetch-Site", "cross-site")}, 403},
		// Authenticated: today's rules.
		{"authenticated: rebound POST", authed, request{query: query, host: authedRebound,
			header: key("Origin", "http://"+authedRebound, "Sec-Fetch-Site", "same-origin")}, 200},
		{"authenticated: rebound POST from an old browser", authed, request{query: query, host: authedRebound,
			header: key("Origin", "http://"+authedRebound)}, 200},
		{"authenticated: rebound GET", authed, request{method: "GET", path: get, host: authedRebound,
			header: key("Sec-Fetch-Site", "same-origin", "GraphQL-Require-Preflight", "1")}, 200},
		{"authenticated: same-origin POST", authed, request{query: query, header: key("Origin", "http://"+authedHost, "Sec-Fetch-Site", "same-origin")}, 200},
		{"authenticated: another origin's GET", authed, request{method: "GET", path: get,
			header: key("Origin", evil, "Sec-Fetch-Site", "cross-site", "GraphQL-Require-Preflight", "1")}, 200},
		{"authenticated: another origin's POST", authed, request{query: query, header: key("Origin", evil, "Sec-Fetch-Site", "cross-site")}, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tc.g.send(t, tc.req)
			require.Equal(t, tc.status, r.Status, r.Body)
			if tc.status == http.StatusForbidden {
				requireOnlyCode(t, r, "FORBIDDEN")
				assert.Empty(t, r.Header.Values("Access-Control-Allow-Origin"))
				assertNoCustomerData(t, r.Body, tc.g.SB)
			}
		})
	}
}

// TestOpenModeWebSocketOrigin: the WebSocket upgrade follows the same
// rules: in open mode an Origin matching the Host header is not enough
// (a rebound page's upgrade is refused), the gateway's own origin and the
// allowed ones are accepted; with callers authenticated the Host's own
// origin still is.
func TestOpenModeWebSocketOrigin(t *testing.T) {
	t.Parallel()
	const dash = "https://dash.example"
	cors := server.CORS{AllowedOrigins: []string{dash}}
	open := startGateway(t, gatewayOptions{Open: true, CORS: cors})
	authed := startGateway(t, gatewayOptions{NoJWT: true, CORS: cors})
	openRebound, authedRebound := rebound(t, open), rebound(t, authed)
	cases := []struct {
		name   string
		g      *gateway
		host   string // "": the server's address
		origin string // "": none
		ok     bool
	}{
		{"open: the playground", open, "", open.URL, true},
		{"open: an allowed origin", open, "", dash, true},
		{"open: no browser", open, "", "", true},
		{"open: rebound", open, openRebound, "http://" + openRebound, false},
		{"open: another origin", open, "", "https://evil.example", false},
		{"authenticated: rebound", authed, authedRebound, "http://" + authedRebound, true},
		{"authenticated: the Host's own origin", authed, "", authed.URL, true},
		{"authenticated: another origin", authed, "", "https://evil.example", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := apiKey(keyAdmin)
			if tc.origin != "" {
				h.Set("Origin", tc.origin)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(tc.g.URL, "http")+"/query",
				&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h, Host: tc.host})
			if tc.ok {
				require.NoError(t, err)
				_ = conn.Close(websocket.StatusNormalClosure, "")
				return
			}
			require.Error(t, err)
			require.NotNil(t, resp)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
		})
	}
}
