package graph_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/bench/queries"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/limits"
)

// TestREADMEDashboardCosts: the costs README states for its dashboard
// query, without and with the follow-ups line, are the ones the gateway
// computes for them.
func TestREADMEDashboardCosts(t *testing.T) {
	t.Parallel()
	e := buildEnv(t, envOptions{exec: executor.Options{Limits: limits.Limits{MaxComplexity: 1}}})
	cost := func(q string) string {
		errs := e.do(t, q, nil, client.Var("owner", "dowen"))
		require.Len(t, errs, 1)
		n, ok := errs[0].Extensions["cost"].(float64)
		require.True(t, ok, "%v", errs[0])
		s := strconv.Itoa(int(n))
		if len(s) > 3 {
			s = s[:len(s)-3] + "," + s[len(s)-3:]
		}
		return s
	}
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	want := "README's dashboard query costs " + cost(queries.Dashboard) + "; with its follow-ups line, " + cost(queries.DashboardFollowUps)
	assert.True(t, strings.Contains(string(readme), want), "README should say: %s", want)
}
