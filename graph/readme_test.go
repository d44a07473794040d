package graph_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// graphqlBlock is a fenced GraphQL example of README.
var graphqlBlock = regexp.MustCompile("(?s)```graphql\n(.*?)\n```")

// TestREADMEExamplesRun: every query and mutation README shows runs
// against the sandbox without an error (subscriptions, lines meant to be
// pasted into another query, and the Federation section's examples, which
// need another subgraph and .ci/federation.sh runs through a router,
// aside).
func TestREADMEExamplesRun(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	e := newEnv(t)
	ran := 0
	for _, m := range graphqlBlock.FindAllStringSubmatch(withoutSection(string(readme), "## Federation\n"), -1) {
		doc, perr := parser.ParseQuery(&ast.Source{Input: m[1]})
		if perr != nil {
			line := strings.TrimSpace(m[1])
			require.True(t, strings.HasPrefix(line, "followUps") || strings.HasPrefix(line, "... @defer { followUps"),
				"only the follow-ups line (plain or deferred) is a fragment of a query: %s", m[1])
			continue
		}
		for _, op := range doc.Operations {
			if op.Operation == ast.Subscription {
				continue
			}
			var out map[string]any
			errs := e.do(t, m[1], &out, client.Operation(op.Name), client.Var("owner", "dowen"))
			assert.Empty(t, errs, "README example %q:\n%s", op.Name, m[1])
			ran++
		}
	}
	assert.GreaterOrEqual(t, ran, 6, "README's examples: customers, the dashboard, search, node, tagGroups, a mutation")
}

// withoutSection is markdown without the section that starts with heading
// (up to the next heading of its level).
func withoutSection(markdown, heading string) string {
	start := strings.Index(markdown, heading)
	if start < 0 {
		return markdown
	}
	end := strings.Index(markdown[start+len(heading):], "\n## ")
	if end < 0 {
		return markdown[:start]
	}
	return markdown[:start] + markdown[start+len(heading)+end+1:]
}
