package app

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestGracefulShutdown: requests in flight when the stop signal arrives
// complete successfully, then run returns without error.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	sb.SetFaults(sandbox.Faults{Latency: 600 * time.Millisecond})
	g := startGateway(t, sb, nil, nil)
	var wg sync.WaitGroup
	owners := []string{"lina", "dowen", "wangfang"}
	results := make([]gqlResponse, len(owners))
	for i, owner := range owners {
		wg.Go(func() {
			results[i] = g.query(t, `query($o: ID!) { customers(ownerId: $o, first: 3) { edges { node { customerId } } } }`, map[string]any{"o": owner})
		})
	}
	// Each request is inside the gateway once its own upstream call arrives
	// (a request still on its way when shutdown starts may be refused: that
	// is what failing /readyz first is for).
	require.Eventually(t, func() bool { return sb.Calls(tanma.PathListByQwUserID) >= 3 }, 5*time.Second, 5*time.Millisecond, "requests in flight")
	stopped := make(chan error, 1)
	go func() { stopped <- g.stop() }() // as SIGTERM does
	wg.Wait()
	for _, r := range results {
		assert.Equal(t, 200, r.Status, r.Raw)
		assert.Empty(t, r.Errors, r.Raw)
		conn, ok := r.Data["customers"].(map[string]any)
		require.True(t, ok, r.Raw)
		assert.Len(t, conn["edges"], 3)
	}
	require.NoError(t, <-stopped)
	assert.Contains(t, g.out.String(), "draining in-flight requests")
}
