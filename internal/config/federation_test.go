package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/config"
)

// TestFederationSetting: the gateway is a Federation 2 subgraph unless
// FEDERATION says off.
func TestFederationSetting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, value string
		want        bool
		bad         bool
	}{
		{"unset: on", "", true, false},
		{"on", "on", true, false},
		{"off", "off", false, false},
		{"OFF", "OFF", false, false},
		{"false", "false", false, false},
		{"true", "true", true, false},
		{"something else", "maybe", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := config.Load(env(map[string]string{"FEDERATION": tc.value}))
			if tc.bad {
				require.Error(t, err)
				assert.Contains(t, err.Error(), `FEDERATION must be on or off, got "maybe"`)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.Federation)
		})
	}
}
