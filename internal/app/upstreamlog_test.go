package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestUpstreamFailuresAreExplained: every failed upstream attempt leaves
// one log line saying what failed and how (endpoint, attempt, outcome,
// HTTP status or Tanma code, duration, circuit state, request id), and a
// request's log line counts every upstream call it caused: a cold
// dashboard page is a list call plus the three reference-data loads.
func TestUpstreamFailuresAreExplained(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	g := startGateway(t, sb, nil, map[string]string{"TANMA_TIMEOUT": "2s"})
	r := g.query(t, `query Cold { customers(ownerId: "dowen", first: 2) { edges { node { owner { name } tags { name } fields { label } } } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)

	sb.SetFaults(sandbox.Faults{ErrorRate: 1, Paths: []string{tanma.PathListByQwUserID}})
	r = g.query(t, `query Broken { customers(ownerId: "lina", first: 2) { edges { cursor } } }`, nil)
	assert.Equal(t, []string{"UPSTREAM_UNAVAILABLE"}, r.codes(), r.Raw)
	sb.SetFaults(sandbox.Faults{Code: 50000, Paths: []string{tanma.PathListByQwUserID}})
	r = g.query(t, `query Refused { customers(ownerId: "lina", first: 2) { edges { cursor } } }`, nil)
	assert.Equal(t, []string{"UPSTREAM_ERROR"}, r.codes(), r.Raw)
	require.NoError(t, g.stop())
	out := g.out.String()

	requests := map[string]map[string]any{}
	for _, l := range logLines(t, out, "request") {
		if op, _ := l["operation"].(string); op != "" {
			requests[op] = l
		}
	}
	require.Contains(t, requests, "Cold")
	assert.EqualValues(t, 4, requests["Cold"]["upstream_calls"], "list, field definitions, tag library, staff directory")

	failed := logLines(t, out, "upstream attempt failed")
	var http5xx, coded int
	for _, l := range failed {
		assert.Equal(t, tanma.PathListByQwUserID, l["endpoint"])
		assert.NotEmpty(t, l["request_id"])
		assert.Contains(t, l, "duration_ms")
		assert.Equal(t, "closed", l["circuit"])
		switch l["outcome"] {
		case tanma.OutcomeHTTP5xx:
			http5xx++
			assert.EqualValues(t, 500, l["http_status"])
			assert.Equal(t, requests["Broken"]["request_id"], l["request_id"])
		case tanma.OutcomeError:
			coded++
			assert.EqualValues(t, 50000, l["code"])
		}
	}
	assert.EqualValues(t, requests["Broken"]["upstream_calls"], http5xx, "one line per attempt, retries included")
	assert.Greater(t, http5xx, 1, "retried")
	assert.Equal(t, 1, coded)
	assert.NotContains(t, out, "系统异常", "no answer bodies")
}
