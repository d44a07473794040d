package app

import (
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestRedisPasswordIsNeverLogged runs the gateway with a REDIS_URL holding
// a password, right and then wrong (a refused AUTH is a degradation: every
// query is still served), and scans the log: it names Redis by host:port,
// and the password appears zero times.
func TestRedisPasswordIsNeverLogged(t *testing.T) {
	t.Parallel()
	m := miniredis.RunT(t)
	m.RequireAuth("s3cret-redis-pw")
	for _, pw := range []string{"s3cret-redis-pw", "wr0ng-redis-pw"} {
		g := startGateway(t, &sandbox.Server{}, nil, map[string]string{
			"REDIS_URL": "redis://:" + pw + "@" + m.Addr() + "/0", "LOG_LEVEL": "debug", "TANMA_QPS": "100",
		})
		r := g.query(t, `{ staffMember(qwUserId: "dowen") { name } }`, nil)
		require.Empty(t, r.Errors, r.Raw)
		require.NoError(t, g.stop())
		log := g.out.String()
		assert.Contains(t, log, m.Addr(), "Redis is named by its address")
		assert.NotContains(t, log, pw)
		assert.NotContains(t, strings.ToLower(log), "redis://")
		if pw == "wr0ng-redis-pw" {
			assert.Contains(t, log, "redis unreachable", "a refused password is logged as a degradation")
		}
	}
}
