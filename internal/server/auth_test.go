package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth/authtest"
)

// linaQuery reads customers: what an authenticated caller gets and an
// unauthenticated one must not.
const linaQuery = `{ customers(ownerId: "lina", first: 2) { edges { node { customerId name } } } }`

// TestAuthMatrix: who may call /query. Every refusal is a 401 with the
// challenges of the schemes concerned, code UNAUTHENTICATED, no-store and
// no customer data; every accepted credential reads data.
func TestAuthMatrix(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	iss := g.Issuer
	linaFirst := customerIDsOf(g.SB, "lina", 1)[0]

	stranger := authtest.NewECKey(t, "ec-stranger") // not in the JWKS
	impostor := authtest.NewECKey(t, "ec-1")        // the published kid, another key
	// HS256 keyed with the public key: the alg-confusion attack
	hmacConfused := authtest.SignWith(t, jwt.SigningMethodHS256, "ec-1", iss.EC.PublicPEM(t), iss.Claims(nil))

	const (
		bearerRealm = `Bearer realm="tanma-gateway"`
		keyRealm    = `ApiKey realm="tanma-gateway"`
		badToken    = `Bearer realm="tanma-gateway", error="invalid_token"`
		badKey      = `ApiKey realm="tanma-gateway", error="invalid_key"`
	)
	cases := []struct {
		name       string
		method     string
		header     http.Header
		status     int
		challenges []string // prefixes of the WWW-Authenticate values, in order (401 only)
		message    string   // part of the error message (401 only)
	}{
		{name: "no credentials", header: nil, status: 401,
			challenges: []string{bearerRealm, keyRealm}, message: "missing credentials"},
		{name: "invalid API key", header: apiKey("tk_made_up_00000000"), status: 401,
			challenges: []string{badKey}, message: "unknown API key"},
		{name: "empty API key", header: apiKey(""), status: 401,
			challenges: []string{badKey}, message: "API key is empty"},
		{name: "API key of another case", header: apiKey(strings.ToUpper(keyPlain)), status: 401,
			challenges: []string{badKey}},
		{name: "valid API key", header: apiKey(keyPlain), status: 200},
		{name: "valid API key as Authorization: ApiKey", header: hdr("Authorization", "ApiKey "+keyPlain), status: 200},
		{name: "API key and bearer token together", header: hdr("X-API-Key", keyPlain, "Authorization", "Bearer "+iss.Token(t, nil)), status: 401,
			challenges: []string{`Bearer realm="tanma-gateway", error="invalid_request"`, `ApiKey realm="tanma-gateway", error="invalid_request"`},
			message:    "send one credential"},
		{name: "two API keys", header: hdr("X-API-Key", keyPlain, "X-API-Key", keyOther), status: 401,
			challenges: []string{`Bearer realm="tanma-gateway", error="invalid_request"`, `ApiKey realm="tanma-gateway", error="invalid_request"`}},
		{name: "unsupported Authorization scheme", header: hdr("Authorization", "Basic dXNlcjpwYXNz"), status: 401,
			challenges: []string{`Bearer realm="tanma-gateway", error="invalid_request"`, `ApiKey realm="tanma-gateway", error="invalid_request"`}},
		{name: "JWT valid (ES256)", header: bearer(iss.Token(t, nil)), status: 200},
		{name: "JWT valid (RS256)", header: bearer(iss.RSA.Sign(t, iss.Claims(nil))), status: 200},
		{name: "JWT expired", header: bearer(iss.Token(t, func(c jwt.MapClaims) {
			c["iat"], c["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
		})), status: 401, challenges: []string{badToken}, message: "expired"},
		{name: "JWT wrong audience", header: bearer(iss.Token(t, func(c jwt.MapClaims) { c["aud"] = "another-api" })),
			status: 401, challenges: []string{badToken}, message: "wrong audience"},
		{name: "JWT wrong issuer", header: bearer(iss.Token(t, func(c jwt.MapClaims) { c["iss"] = "https://evil.example/" })),
			status: 401, challenges: []string{badToken}, message: "wrong issuer"},
		{name: "JWT signed by an unknown key", header: bearer(stranger.Sign(t, iss.Claims(nil))),
			status: 401, challenges: []string{badToken}, message: "unknown key"},
		{name: "JWT signed by another key under a published kid", header: bearer(impostor.Sign(t, iss.Claims(nil))),
			status: 401, challenges: []string{badToken}, message: "signature is invalid"},
		{name: "JWT alg none", header: bearer(authtest.Unsigned(t, iss.Claims(nil))),
			status: 401, challenges: []string{badToken}, message: "algorithm is not accepted"},
		{name: "JWT HS256 keyed with the public key", header: bearer(hmacConfused),
			status: 401, challenges: []string{badToken}, message: "algorithm is not accepted"},
		{name: "JWT without expiry", header: bearer(iss.Token(t, func(c jwt.MapClaims) { delete(c, "exp") })),
			status: 401, challenges: []string{badToken}, message: "no expiry"},
		{name: "JWT not valid yet", header: bearer(iss.Token(t, func(c jwt.MapClaims) { c["nbf"] = time.Now().Add(time.Hour).Unix() })),
			status: 401, challenges: []string{badToken}},
		{name: "JWT garbage", header: bearer("not.a.jwt"), status: 401, challenges: []string{badToken}, message: "malformed"},
		{name: "empty bearer token", header: hdr("Authorization", "Bearer "), status: 401, challenges: []string{badToken}},
	}
	// Runs after every case: no credential reached the logs.
	t.Cleanup(func() {
		logs := g.Logs.String()
		for _, tc := range cases {
			for _, values := range tc.header {
				for _, v := range values {
					if v = strings.TrimPrefix(v, "Bearer "); len(v) > 12 {
						assert.NotContains(t, logs, v, "a credential of case %q was logged", tc.name)
					}
				}
			}
		}
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := g.send(t, request{query: linaQuery, header: tc.header})
			require.Equal(t, tc.status, r.Status, r.Body)
			assert.NotEmpty(t, r.Header.Get("X-Request-Id"))
			if tc.status == http.StatusOK {
				requireNoErrors(t, r)
				assert.Contains(t, r.Body, linaFirst, "an authenticated caller reads data")
				assert.Empty(t, r.Header.Values("WWW-Authenticate"))
				return
			}
			requireOnlyCode(t, r, "UNAUTHENTICATED")
			assert.Contains(t, r.Header.Get("Content-Type"), "application/json")
			assert.Equal(t, "no-store", r.Header.Get("Cache-Control"))
			got := r.Header.Values("WWW-Authenticate")
			require.Len(t, got, len(tc.challenges), "WWW-Authenticate: %q", got)
			for i, want := range tc.challenges {
				assert.True(t, strings.HasPrefix(got[i], want), "WWW-Authenticate[%d] = %q, want prefix %q", i, got[i], want)
			}
			if tc.message != "" {
				assert.Contains(t, r.Errors[0].Message, tc.message)
			}
			assert.Nil(t, r.Data)
			assertNoCustomerData(t, r.Body, g.SB)
			// Nothing of the credential comes back.
			for _, values := range tc.header {
				for _, v := range values {
					if len(v) > 12 {
						assert.NotContains(t, r.Body, strings.TrimPrefix(v, "Bearer "))
						assert.NotContains(t, strings.Join(got, " "), strings.TrimPrefix(v, "Bearer "))
					}
				}
			}
		})
	}
}

// TestAuthOtherRoutes: the schema route is authenticated too, OPTIONS
// preflights pass without credentials but run nothing, and the probes stay
// open.
func TestAuthOtherRoutes(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{NoJWT: true})
	cases := []struct {
		name   string
		req    request
		status int
		code   string // extensions.code, when the answer is a JSON error
	}{
		{name: "OPTIONS preflight without credentials", req: request{method: "OPTIONS",
			header: hdr("Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-api-key")}, status: 200},
		{name: "OPTIONS carrying a query runs nothing", req: request{method: "OPTIONS",
			path: "/query?query=" + urlQuery(`{ customers(ownerId: "dowen") { edges { node { customerId name mobiles } } } }`)}, status: 200},
		{name: "schema without credentials", req: request{method: "GET", path: "/schema.graphql"}, status: 401, code: "UNAUTHENTICATED"},
		{name: "schema with an invalid key", req: request{method: "GET", path: "/schema.graphql", header: apiKey("tk_nope_12345678")}, status: 401, code: "UNAUTHENTICATED"},
		{name: "GET query without credentials", req: request{method: "GET", path: "/query?query=" + urlQuery(linaQuery),
			header: hdr("GraphQL-Require-Preflight", "1")}, status: 401, code: "UNAUTHENTICATED"},
		{name: "healthz needs no credentials", req: request{method: "GET", path: "/healthz"}, status: 200},
		{name: "readyz needs no credentials", req: request{method: "GET", path: "/readyz"}, status: 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := g.send(t, tc.req)
			require.Equal(t, tc.status, r.Status, r.Body)
			if tc.code != "" {
				requireOnlyCode(t, r, tc.code)
				got := r.Header.Values("WWW-Authenticate")
				require.Len(t, got, 1)
				assert.True(t, strings.HasPrefix(got[0], `ApiKey realm="tanma-gateway"`), got[0])
			} else {
				assert.Empty(t, r.Header.Values("WWW-Authenticate"))
			}
			assertNoCustomerData(t, r.Body, g.SB)
			assert.NotContains(t, r.Body, "type Customer")
		})
	}
}

// TestRevokedAPIKey: a key whose hash is no longer configured is refused
// like any unknown key, while the same key works where it is configured.
func TestRevokedAPIKey(t *testing.T) {
	t.Parallel()
	before := startGateway(t, gatewayOptions{NoJWT: true})
	after := startGateway(t, gatewayOptions{NoJWT: true, Keys: withoutKey(testKeys(), "revoked")})
	cases := []struct {
		name   string
		g      *gateway
		key    string
		status int
	}{
		{"configured key works", before, keyRevoked, 200},
		{"revoked key is refused", after, keyRevoked, 401},
		{"other keys keep working after the revocation", after, keyPlain, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := tc.g.post(t, linaQuery, apiKey(tc.key))
			require.Equal(t, tc.status, r.Status, r.Body)
			if tc.status == 200 {
				requireNoErrors(t, r)
				return
			}
			requireOnlyCode(t, r, "UNAUTHENTICATED")
			assert.Equal(t, []string{`ApiKey realm="tanma-gateway", error="invalid_key", error_description="unknown API key"`}, r.Header.Values("WWW-Authenticate"))
			assertNoCustomerData(t, r.Body, tc.g.SB)
		})
	}
}
