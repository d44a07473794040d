package graph_test

import (
	"testing"

	"github.com/99designs/gqlgen/graphql/introspection"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestComplexityBudget: the README's dashboard query and introspection fit
// the default budget; a query whose cost grows with upstream calls per
// customer beyond it is refused before anything runs.
func TestComplexityBudget(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustDo(t, `{ customers(ownerId: "dowen", first: 50) { edges { node {
		id customerId name mobiles gender updatedAt owner { name departments { name } } tags { name group { name } }
		stage { id label } source { label }
		fields { key label kind text problem ... on SelectCustomerField { option { id label } } ... on PhoneCustomerField { phones } }
		followUps(first: 1) { edges { node { kind content createdAt author { name } } } } } }
		pageInfo { hasNextPage endCursor } } }`, nil)
	e.mustDo(t, introspection.Query, nil)
	e.sb.ResetCalls()
	errs := e.do(t, `{ customers(ownerId: "dowen", first: 100) { edges { node {
		followUps(first: 20) { edges { node { content createdAt author { name } } } } } } } }`, nil)
	require.Len(t, errs, 1)
	assert.Equal(t, []string{"COMPLEXITY_LIMIT_EXCEEDED"}, codes(errs), errs[0].Message)
	assert.Zero(t, e.sb.TotalCalls(), "refused before any upstream call")
}
