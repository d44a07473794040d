package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/server"
)

// TestCSRFMatrix: with SimpleGET off, /query takes JSON POSTs, and GET
// queries only preflighted or from an allowed Origin, and Go's cross-origin protection refuses
// cross-site browser POSTs from origins that are not allowed.
func TestCSRFMatrix(t *testing.T) {
	t.Parallel()
	const dash, evil = "https://dash.example", "https://evil.example"
	g := startGateway(t, gatewayOptions{NoJWT: true, CORS: server.CORS{AllowedOrigins: []string{dash}}})
	bare := startGateway(t, gatewayOptions{NoJWT: true}) // no CORS origins at all
	const query = `{"query":"{ staff(first: 1) { totalCount } }"}`
	getQuery := "/query?query=" + urlQuery(`{ staff(first: 1) { totalCount } }`)
	with := func(kv ...string) http.Header { return hdr(append([]string{"X-API-Key", keyPlain}, kv...)...) }
	cases := []struct {
		name   string
		g      *gateway
		req    request
		status int
		code   string // extensions.code of a refusal ("" for a plain-text one)
		allow  string // the Allow header of a 405
		ctype  string // the Content-Type of the refusal
	}{
		{name: "POST text/plain", req: request{body: query, header: with("Content-Type", "text/plain")}, status: 415, code: "BAD_REQUEST"},
		{name: "POST text/plain with charset", req: request{body: query, header: with("Content-Type", "text/plain; charset=utf-8")}, status: 415, code: "BAD_REQUEST"},
		{name: "POST form", req: request{body: "query=%7B__typename%7D", header: with("Content-Type", "application/x-www-form-urlencoded")}, status: 415, code: "BAD_REQUEST"},
		{name: "POST multipart", req: request{body: "--b\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n{__typename}\r\n--b--\r\n",
			header: with("Content-Type", "multipart/form-data; boundary=b")}, status: 415, code: "BAD_REQUEST"},
		{name: "POST with an empty Content-Type", req: request{body: query, header: with("Content-Type", "")}, status: 415, code: "BAD_REQUEST"},
		{name: "POST application/json", req: request{body: query, header: with()}, status: 200},
		{name: "POST application/json with charset", req: request{body: query, header: with("Content-Type", "application/json; charset=utf-8")}, status: 200},
		{name: "GET without a preflight header", req: request{method: "GET", path: getQuery, header: with()}, status: 400, code: "BAD_REQUEST"},
		{name: "GET with a simple Content-Type", req: request{method: "GET", path: getQuery, header: with("Content-Type", "text/plain")}, status: 400, code: "BAD_REQUEST"},
		{name: "GET with GraphQL-Require-Preflight", req: request{method: "GET", path: getQuery, header: with("GraphQL-Require-Preflight", "1")}, status: 200},
		{name: "GET with Apollo-Require-Preflight", req: request{method: "GET", path: getQuery, header: with("Apollo-Require-Preflight", "true")}, status: 200},
		{name: "GET with X-Apollo-Operation-Name", req: request{method: "GET", path: getQuery, header: with("X-Apollo-Operation-Name", "Q")}, status: 200},
		{name: "GET with Content-Type application/json", req: request{method: "GET", path: getQuery, header: with("Content-Type", "application/json")}, status: 200},
		// urql's default: queries as GET with no extra header, from a page of
		// an allowed origin (a script's CORS request carries its Origin).
		{name: "GET from the allowed origin without a preflight header", req: request{method: "GET", path: getQuery,
			header: with("Origin", dash, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "cors")}, status: 200},
		{name: "GET from another origin without a preflight header", req: request{method: "GET", path: getQuery,
			header: with("Origin", evil, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "cors")}, status: 400, code: "BAD_REQUEST"},
		{name: "GET from an origin without any CORS origin configured", g: bare, req: request{method: "GET", path: getQuery,
			header: with("Origin", dash, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "cors")}, status: 400, code: "BAD_REQUEST"},
		{name: "cross-site image GET (no Origin)", req: request{method: "GET", path: getQuery,
			header: with("Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image")}, status: 400, code: "BAD_REQUEST"},
		{name: "GET mutation from the allowed origin", req: request{method: "GET", path: "/query?query=" + urlQuery(`mutation { __typename }`),
			header: with("Origin", dash, "Sec-Fetch-Site", "cross-site")}, status: 405, code: "BAD_REQUEST", allow: "POST"},
		{name: "GET mutation with the preflight header", req: request{method: "GET", path: "/query?query=" + urlQuery(`mutation { __typename }`),
			header: with("GraphQL-Require-Preflight", "1")}, status: 405, code: "BAD_REQUEST", allow: "POST"},
		{name: "GET mutation chosen by operationName", req: request{method: "GET",
			path:   "/query?operationName=M&query=" + urlQuery(`query Q { __typename } mutation M { __typename }`),
			header: with("GraphQL-Require-Preflight", "1")}, status: 405, code: "BAD_REQUEST", allow: "POST"},
		{name: "PUT", req: request{method: "PUT", body: query, header: with("Content-Type", "application/json")}, status: 405, code: "BAD_REQUEST", allow: "GET, POST, OPTIONS"},
		{name: "DELETE", req: request{method: "DELETE", header: with()}, status: 405, code: "BAD_REQUEST", allow: "GET, POST, OPTIONS"},
		{name: "PATCH", req: request{method: "PATCH", body: query, header: with("Content-Type", "application/json")}, status: 405, code: "BAD_REQUEST", allow: "GET, POST, OPTIONS"},
		{name: "cross-site browser POST", req: request{body: query, header: with("Origin", evil, "Sec-Fetch-Site", "cross-site")},
			status: 403, code: "FORBIDDEN"},
		{name: "cross-site POST by Origin alone", req: request{body: query, header: with("Origin", evil)},
			status: 403, code: "FORBIDDEN"},
		{name: "cross-site browser POST without any CORS origin", g: bare, req: request{body: query, header: with("Origin", evil, "Sec-Fetch-Site", "cross-site")},
			status: 403, code: "FORBIDDEN"},
		{name: "cross-site browser POST from the allowed origin", req: request{body: query, header: with("Origin", dash, "Sec-Fetch-Site", "cross-site")}, status: 200},
		{name: "same-origin browser POST", req: request{body: query, header: with("Sec-Fetch-Site", "same-origin")}, status: 200},
		{name: "cross-site browser GET with the preflight header", req: request{method: "GET", path: getQuery,
			header: with("Origin", evil, "Sec-Fetch-Site", "cross-site", "GraphQL-Require-Preflight", "1")}, status: 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gw := tc.g
			if gw == nil {
				gw = g
			}
			r := gw.send(t, tc.req)
			require.Equal(t, tc.status, r.Status, r.Body)
			if tc.status == http.StatusOK {
				requireNoErrors(t, r)
				assert.EqualValues(t, len(gw.SB.Data().Staff), at(r.Data, "staff", "totalCount"))
				return
			}
			assert.Nil(t, r.Data)
			assert.NotContains(t, r.Body, "totalCount")
			if tc.allow != "" {
				assert.Equal(t, tc.allow, r.Header.Get("Allow"))
			}
			if tc.ctype != "" {
				assert.Contains(t, r.Header.Get("Content-Type"), tc.ctype)
			}
			if tc.code != "" {
				assert.Contains(t, r.Header.Get("Content-Type"), "application/json")
				requireOnlyCode(t, r, tc.code)
			}
		})
	}
}

// TestCrossOriginRefusalIsJSON: the 403 of a refused cross-site POST is a
// GraphQL-shaped JSON error like every other refusal of /query.
func TestCrossOriginRefusalIsJSON(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{NoJWT: true})
	r := g.send(t, request{query: "{ __typename }", header: hdr("X-API-Key", keyPlain, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")})
	require.Equal(t, http.StatusForbidden, r.Status)
	assert.Contains(t, r.Header.Get("Content-Type"), "application/json")
	requireOnlyCode(t, r, "FORBIDDEN")
}
