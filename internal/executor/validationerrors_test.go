package executor_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/executor"
)

// unknownFields asks for n distinct fields TagGroup does not have.
func unknownFields(n int) string {
	var b strings.Builder
	b.WriteString("{ tagGroups { ")
	for i := range n {
		fmt.Fprintf(&b, "f%d ", i)
	}
	return b.String() + "} }"
}

// TestValidationErrorsAreCapped: an answer carries at most 20 validation
// errors, then one that says how many were left out (1,990 unknown fields
// were answered with 358 KiB of errors), with suggestions or without.
func TestValidationErrorsAreCapped(t *testing.T) {
	t.Parallel()
	for _, intro := range []auth.Introspection{auth.IntrospectionOn, auth.IntrospectionPermission} {
		h := handlerWith(t, executor.Options{Introspection: intro})
		for _, tc := range []struct {
			unknown int
			errors  int
			last    string // the last error's message
		}{
			{unknown: 20, errors: 20, last: `Cannot query field "f19" on type "TagGroup".`},
			{unknown: 21, errors: 21, last: "1 more validation error was left out"},
			{unknown: 1990, errors: 21, last: "1970 more validation errors were left out"},
		} {
			t.Run(fmt.Sprint(intro, " ", tc.unknown, " unknown fields"), func(t *testing.T) {
				t.Parallel()
				_, resp := postJSON(t, h, map[string]any{"query": unknownFields(tc.unknown)})
				errs, _ := resp["errors"].([]any)
				require.Len(t, errs, tc.errors)
				for _, e := range errs {
					assert.Equal(t, "GRAPHQL_VALIDATION_FAILED", e.(map[string]any)["extensions"].(map[string]any)["code"])
				}
				assert.Equal(t, tc.last, errs[len(errs)-1].(map[string]any)["message"])
				raw, _ := json.Marshal(resp)
				assert.Less(t, len(raw), 5000, "answer size")
			})
		}
	}
}
