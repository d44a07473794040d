package app

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/porttest"
	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestMetricsOnTheirOwnListener: with METRICS_ADDR the public port serves
// no /metrics, and the metrics listener counts the GraphQL requests served
// on the public port (they were once not recorded at all in this mode).
func TestMetricsOnTheirOwnListener(t *testing.T) {
	t.Parallel()
	addr := fmt.Sprintf("127.0.0.1:%d", porttest.Free(t))
	g := startGateway(t, &sandbox.Server{}, nil, map[string]string{"METRICS_ADDR": addr})
	r := g.query(t, `query Probe { customers(ownerId: "dowen", first: 1) { edges { cursor } } }`, nil)
	require.Equal(t, http.StatusOK, r.Status, r.Raw)

	resp, err := http.Get(g.url + "/metrics")
	require.NoError(t, err)
	resp.Body.Close()
	assert.NotEqual(t, http.StatusOK, resp.StatusCode, "no /metrics on the public port")

	waitFor(t, "http://"+addr+"/metrics")
	resp, err = http.Get("http://" + addr + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(b), `gateway_graphql_request_duration_seconds_count{operation="Probe",outcome="ok"} 1`)
	require.NoError(t, g.stop())
}
