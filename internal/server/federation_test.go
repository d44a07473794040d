package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/graph"
)

// entitiesFetch is what a router sends the gateway to join a customer of
// another subgraph's answer.
const entitiesFetch = `{ _entities(representations: [{__typename: "Customer", customerId: "` + dowenSeedCustomerID + `"}]) {
	... on Customer { customerId name } } }`

// TestRouterCredentials: behind a router, the caller's credential must be
// forwarded with each subgraph request. Forwarded (either header), the
// entity is served as to the caller; not forwarded, the gateway answers
// 401 UNAUTHENTICATED with no data: never anonymous data.
func TestRouterCredentials(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{NoJWT: true})
	cases := []struct {
		name   string
		header http.Header
		status int
		code   string
	}{
		{"X-API-Key forwarded", apiKey(keyPlain), http.StatusOK, ""},
		{"Authorization forwarded", hdr("Authorization", "ApiKey "+keyPlain), http.StatusOK, ""},
		{"nothing forwarded", nil, http.StatusUnauthorized, "UNAUTHENTICATED"},
		{"a wrong key", apiKey("tk_wrong_00000000"), http.StatusUnauthorized, "UNAUTHENTICATED"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := g.post(t, entitiesFetch, tc.header)
			require.Equal(t, tc.status, r.Status, r.Body)
			if tc.code == "" {
				require.Empty(t, r.Errors, r.Body)
				entities, _ := r.Data["_entities"].([]any)
				require.Len(t, entities, 1)
				assert.Equal(t, dowenSeedCustomerID, entities[0].(map[string]any)["customerId"])
				return
			}
			assert.Equal(t, []string{tc.code}, r.codes())
			assert.Nil(t, r.Data)
			assert.NotContains(t, r.Body, dowenSeedCustomerID)
		})
	}
}

// TestFederationSetting: FEDERATION=off takes _service and _entities out
// of the schema; on or off, /schema.graphql serves the same plain SDL.
func TestFederationSetting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		off  bool
	}{{"on (the default)", false}, {"off", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := startGateway(t, gatewayOptions{NoJWT: true, NoFederation: tc.off})
			sdl := g.send(t, request{method: http.MethodGet, path: "/schema.graphql", header: apiKey(keyAdmin)})
			assert.Equal(t, string(graph.SDL()), sdl.Body)
			for _, q := range []string{entitiesFetch, `{ _service { sdl } }`} {
				r := g.post(t, q, apiKey(keyAdmin))
				if tc.off {
					assert.Equal(t, []string{"GRAPHQL_VALIDATION_FAILED"}, r.codes(), q)
					assert.Nil(t, r.Data, q)
				} else {
					assert.Empty(t, r.Errors, q)
					assert.NotNil(t, r.Data, q)
				}
			}
		})
	}
}
