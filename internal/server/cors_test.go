package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/server"
)

// headerList splits every value of a comma-separated header, lower-cased.
func headerList(h http.Header, name string) []string {
	var out []string
	for _, v := range h.Values(name) {
		for _, p := range strings.Split(v, ",") {
			if p = strings.ToLower(strings.TrimSpace(p)); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// accessControl lists the CORS response headers present.
func accessControl(h http.Header) []string {
	var out []string
	for name := range h {
		if strings.HasPrefix(strings.ToLower(name), "access-control-") {
			out = append(out, name)
		}
	}
	return out
}

// TestCORSMatrix: browsers at the allowed origin get preflights answered
// and responses readable; any other origin gets no CORS grant.
func TestCORSMatrix(t *testing.T) {
	t.Parallel()
	const dash, evil = "https://dash.example", "https://evil.example"
	g := startGateway(t, gatewayOptions{NoJWT: true, CORS: server.CORS{AllowedOrigins: []string{dash}}})
	bare := startGateway(t, gatewayOptions{NoJWT: true})
	// Browsers send Access-Control-Request-Headers lower-cased and sorted
	// (Fetch standard); rs/cors relies on that order.
	const browserHeaders = "authorization,content-type,x-api-key"
	preflight := func(origin, method, headers string) request {
		return request{method: "OPTIONS", header: hdr("Origin", origin, "Access-Control-Request-Method", method, "Access-Control-Request-Headers", headers)}
	}
	const query = `{ staff(first: 1) { totalCount } }`
	type want struct {
		status      int
		allowOrigin string   // "": no Access-Control-Allow-Origin at all
		methods     []string // contained in Access-Control-Allow-Methods
		headers     []string // contained in Access-Control-Allow-Headers
		maxAge      string
		expose      []string // contained in Access-Control-Expose-Headers
		varyOrigin  bool
		noCORS      bool // no Access-Control-* header at all
	}
	cases := []struct {
		name string
		g    *gateway
		req  request
		want want
	}{
		{"preflight from the allowed origin", g, preflight(dash, "POST", browserHeaders), want{
			status: 204, allowOrigin: dash, methods: []string{"post"}, headers: []string{"authorization", "content-type", "x-api-key"},
			maxAge: "600", varyOrigin: true}},
		{"preflight for a GET with the preflight header", g, preflight(dash, "GET", "graphql-require-preflight,x-api-key"), want{
			status: 204, allowOrigin: dash, methods: []string{"get"}, headers: []string{"graphql-require-preflight", "x-api-key"},
			maxAge: "600", varyOrigin: true}},
		{"preflight from another origin", g, preflight(evil, "POST", browserHeaders), want{status: 204, varyOrigin: true}},
		{"preflight from a look-alike origin", g, preflight("https://dash.example.evil.example", "POST", browserHeaders), want{status: 204, varyOrigin: true}},
		{"preflight from the allowed host over http", g, preflight("http://dash.example", "POST", browserHeaders), want{status: 204, varyOrigin: true}},
		{"preflight for PUT", g, preflight(dash, "PUT", "content-type"), want{status: 204, varyOrigin: true}},
		{"preflight for a header not allowed", g, preflight(dash, "POST", "content-type,x-evil"), want{status: 204, varyOrigin: true}},
		{"POST from the allowed origin", g, request{query: query, header: hdr("X-API-Key", keyPlain, "Origin", dash, "Sec-Fetch-Site", "cross-site")}, want{
			status: 200, allowOrigin: dash, expose: []string{"x-request-id", "retry-after"}, varyOrigin: true}},
		{"GET from the allowed origin", g, request{method: "GET", path: "/query?query=" + urlQuery(query),
			header: hdr("X-API-Key", keyPlain, "Origin", dash, "GraphQL-Require-Preflight", "1")}, want{
			status: 200, allowOrigin: dash, expose: []string{"x-request-id"}, varyOrigin: true}},
		{"SDL from the allowed origin", g, request{method: "GET", path: "/schema.graphql", header: hdr("X-API-Key", keyAdmin, "Origin", dash)}, want{
			status: 200, allowOrigin: dash, expose: []string{"x-request-id"}, varyOrigin: true}},
		{"401 from the allowed origin is readable", g, request{query: query, header: hdr("Origin", dash, "Sec-Fetch-Site", "cross-site")}, want{
			status: 401, allowOrigin: dash, varyOrigin: true}},
		{"POST from another origin", g, request{query: query, header: hdr("X-API-Key", keyPlain, "Origin", evil, "Sec-Fetch-Site", "cross-site")}, want{
			status: 403, varyOrigin: true}},
		{"GET from another origin", g, request{method: "GET", path: "/query?query=" + urlQuery(query),
			header: hdr("X-API-Key", keyPlain, "Origin", evil, "GraphQL-Require-Preflight", "1")}, want{status: 200, varyOrigin: true}},
		{"no origins: preflight", bare, preflight(dash, "POST", browserHeaders), want{status: 200, noCORS: true}},
		{"no origins: same-origin POST", bare, request{query: query, header: hdr("X-API-Key", keyPlain, "Sec-Fetch-Site", "same-origin")}, want{status: 200, noCORS: true}},
		{"no origins: GET with an Origin", bare, request{method: "GET", path: "/query?query=" + urlQuery(query),
			header: hdr("X-API-Key", keyPlain, "Origin", dash, "GraphQL-Require-Preflight", "1")}, want{status: 200, noCORS: true}},
		{"no origins: SDL with an Origin", bare, request{method: "GET", path: "/schema.graphql", header: hdr("X-API-Key", keyAdmin, "Origin", dash)}, want{status: 200, noCORS: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tc.g.send(t, tc.req)
			require.Equal(t, tc.want.status, r.Status, r.Body)
			h := r.Header
			if tc.want.noCORS {
				assert.Empty(t, accessControl(h), "no CORS header may be sent")
				return
			}
			if tc.want.allowOrigin == "" {
				assert.Empty(t, h.Values("Access-Control-Allow-Origin"))
				assert.Empty(t, h.Values("Access-Control-Allow-Methods"))
				assert.Empty(t, h.Values("Access-Control-Allow-Headers"))
			} else {
				assert.Equal(t, []string{tc.want.allowOrigin}, h.Values("Access-Control-Allow-Origin"))
			}
			assert.Empty(t, h.Values("Access-Control-Allow-Credentials"), "credentials are off")
			for _, m := range tc.want.methods {
				assert.Contains(t, headerList(h, "Access-Control-Allow-Methods"), m)
			}
			for _, x := range tc.want.headers {
				assert.Contains(t, headerList(h, "Access-Control-Allow-Headers"), x)
			}
			if tc.want.maxAge != "" {
				assert.Equal(t, tc.want.maxAge, h.Get("Access-Control-Max-Age"))
			}
			for _, x := range tc.want.expose {
				assert.Contains(t, headerList(h, "Access-Control-Expose-Headers"), x)
			}
			if tc.want.varyOrigin {
				assert.Contains(t, headerList(h, "Vary"), "origin")
			}
			if r.Status == 204 {
				assert.Empty(t, r.Body, "a preflight runs nothing")
				assert.Empty(t, h.Values("WWW-Authenticate"), "a preflight needs no credentials")
			}
		})
	}
}

// TestCORSPreflightOfTheSDL: a dashboard at an allowed origin can read
// /schema.graphql, which needs an X-API-Key header and so a preflight.
func TestCORSPreflightOfTheSDL(t *testing.T) {
	t.Parallel()
	const dash = "https://dash.example"
	g := startGateway(t, gatewayOptions{NoJWT: true, CORS: server.CORS{AllowedOrigins: []string{dash}}})
	r := g.send(t, request{method: "OPTIONS", path: "/schema.graphql",
		header: hdr("Origin", dash, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-api-key")})
	require.Less(t, r.Status, 300, r.Body)
	assert.Equal(t, dash, r.Header.Get("Access-Control-Allow-Origin"))
	assert.Contains(t, headerList(r.Header, "Access-Control-Allow-Headers"), "x-api-key")
}

// TestCORSConfigValidation: a wildcard origin with credentials is refused
// by CORS.Validate and by server.New, as is an origin that is not one.
func TestCORSConfigValidation(t *testing.T) {
	t.Parallel()
	_, tc := sandboxtest.Start(t, nil)
	authn, err := auth.New(context.Background(), auth.Config{APIKeys: testKeys()})
	require.NoError(t, err)
	t.Cleanup(authn.Close)
	resolver := server.NewResolver(tc, slog.New(slog.DiscardHandler), refdata.DefaultPolicy, nil)
	cases := []struct {
		name        string
		cors        server.CORS
		validateErr bool
		newErr      bool
	}{
		{"wildcard with credentials", server.CORS{AllowedOrigins: []string{"*"}, AllowCredentials: true}, true, true},
		{"wildcard among origins with credentials", server.CORS{AllowedOrigins: []string{"https://dash.example", "*"}, AllowCredentials: true}, true, true},
		{"wildcard without credentials", server.CORS{AllowedOrigins: []string{"*"}}, false, false},
		{"one origin with credentials", server.CORS{AllowedOrigins: []string{"https://dash.example"}, AllowCredentials: true}, false, false},
		{"no origins", server.CORS{}, false, false},
		{"an origin without a scheme", server.CORS{AllowedOrigins: []string{"dash.example"}}, false, true},
		{"an origin with a path", server.CORS{AllowedOrigins: []string{"https://dash.example/app"}}, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := c.cors.Validate()
			if c.validateErr {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
			srv, err := server.New(server.Options{Resolver: resolver, Auth: authn, CORS: c.cors})
			if c.newErr {
				assert.Error(t, err)
				assert.Nil(t, srv)
			} else {
				assert.NoError(t, err)
				assert.NotNil(t, srv)
			}
		})
	}
}

// TestCORSWildcard: with AllowedOrigins ["*"] (no credentials) every
// origin may read the API, and the cross-origin protection steps aside.
func TestCORSWildcard(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{NoJWT: true, CORS: server.CORS{AllowedOrigins: []string{"*"}}})
	cases := []struct {
		name   string
		req    request
		status int
	}{
		{"preflight", request{method: "OPTIONS", header: hdr("Origin", "https://any.example", "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "content-type,x-api-key")}, 204},
		{"cross-site POST", request{query: "{ __typename }", header: hdr("X-API-Key", keyPlain, "Origin", "https://any.example", "Sec-Fetch-Site", "cross-site")}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := g.send(t, tc.req)
			require.Equal(t, tc.status, r.Status, r.Body)
			assert.Equal(t, "*", r.Header.Get("Access-Control-Allow-Origin"))
			assert.Empty(t, r.Header.Get("Access-Control-Allow-Credentials"))
		})
	}
}
