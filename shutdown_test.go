package main

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestGracefulShutdown: requests in flight when the stop signal arrives
// complete successfully, then run returns without error.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	sb.SetFaults(sandbox.Faults{Latency: 600 * time.Millisecond})
	g := startGateway(t, sb, nil, nil)
	var wg sync.WaitGroup
	results := make([]gqlResponse, 3)
	for i := range results {
		wg.Go(func() {
			results[i] = g.query(t, `{ customers(ownerId: "lina", first: 3) { edges { node { customerId } } } }`, nil)
		})
	}
	// Identical reads in flight share one upstream call.
	require.Eventually(t, func() bool { return sb.TotalCalls() >= 1 }, 5*time.Second, 5*time.Millisecond, "requests in flight")
	stopped := make(chan error, 1)
	go func() { stopped <- g.stop() }() // as SIGTERM does
	wg.Wait()
	for _, r := range results {
		assert.Equal(t, 200, r.Status, r.Raw)
		assert.Empty(t, r.Errors, r.Raw)
		assert.Len(t, r.Data["customers"].(map[string]any)["edges"], 3)
	}
	require.NoError(t, <-stopped)
	assert.Contains(t, g.out.String(), "draining in-flight requests")
}
