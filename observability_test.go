package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestOperationNameFromTheDocument: a named query sent without the
// operationName parameter (what most clients do) is still named in the
// request log and the metrics.
func TestOperationNameFromTheDocument(t *testing.T) {
	t.Parallel()
	g := startGateway(t, &sandbox.Server{}, nil, nil)
	r := g.query(t, `query OwnerPage { customers(ownerId: "lina", first: 1) { edges { cursor } } }`, nil)
	require.Empty(t, r.Errors, r.Raw)
	assert.Positive(t, metric(t, g.metrics(t), "gateway_graphql_request_duration_seconds_count", `operation="OwnerPage"`))
	require.NoError(t, g.stop())
	assert.Contains(t, g.out.String(), `"operation":"OwnerPage"`)
}
