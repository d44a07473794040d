package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestFederationOnAndOff: the gateway starts as a Federation 2 subgraph
// (a router's _service and _entities run) and FEDERATION=off serves the
// plain schema (they are unknown fields); the start-up line says which.
func TestFederationOnAndOff(t *testing.T) {
	t.Parallel()
	const fetch = `{ _service { sdl } _entities(representations: [{__typename: "Staff", qwUserId: "dowen"}]) { ... on Staff { name } } }`
	for _, tc := range []struct {
		name, setting string
		on            bool
	}{{"default", "", true}, {"off", "off", false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			extra := map[string]string{}
			if tc.setting != "" {
				extra["FEDERATION"] = tc.setting
			}
			g := startGateway(t, &sandbox.Server{}, nil, extra)
			r := g.query(t, fetch, nil)
			if tc.on {
				require.Empty(t, r.Errors, r.Raw)
				assert.Contains(t, r.Raw, `@key(fields: \"customerId\")`)
				assert.Contains(t, r.Raw, `"_entities":[{"name":`)
			} else {
				assert.Equal(t, []string{"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_VALIDATION_FAILED"}, r.codes(), r.Raw)
			}
			require.NoError(t, g.stop())
			line := logLines(t, g.out.String(), "gateway listening")
			require.Len(t, line, 1)
			assert.Equal(t, tc.on, line[0]["federation"])
		})
	}
}
