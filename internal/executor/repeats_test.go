package executor_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/executor"
)

// times repeats s n times, separated by spaces.
func times(s string, n int) string { return strings.Repeat(s+" ", n) }

// TestRepeatedSelections: at most 10,000 pairs of same-named fields or
// fragments at one place in the response, counted through copies of the
// parent field and through fragments; over that a document is refused
// before it is validated (gqlparser's overlapping-fields rule would
// compare them pair by pair).
func TestRepeatedSelections(t *testing.T) {
	t.Parallel()
	h := handlerWith(t, executor.Options{})
	const refused = "QUERY_LIMIT_EXCEEDED"
	for _, tc := range []struct {
		name, query string
		code        string // "": served without errors
	}{
		{name: "one field 141 times (9,870 pairs)", query: "{ tagGroups { " + times("name", 141) + "} }"},
		{name: "one field 142 times (10,011 pairs)", query: "{ tagGroups { " + times("name", 142) + "} }", code: refused},
		{name: "1,990 times, within MAX_FIELDS", query: "query W { tagGroups { " + times("name", 1990) + "} }", code: refused},
		{name: "refused before validation: 142 unknown fields", query: "{ tagGroups { " + times("nope", 142) + "} }", code: refused},
		{name: "copies of the parent count together", query: "{ tagGroups { " + times("name", 71) + "} tagGroups { " + times("name", 71) + "} }", code: refused},
		{name: "copies of the parent, 141 in all", query: "{ tagGroups { " + times("name", 70) + "} tagGroups { " + times("name", 71) + "} }"},
		{name: "a fragment counts as often as it is spread", query: "{ tagGroups { ...N ...N } } fragment N on TagGroup { " + times("name", 71) + "}", code: refused},
		{name: "an inline fragment's fields count at its place", query: "{ tagGroups { " + times("name", 71) + "... on TagGroup { " + times("name", 71) + "} } }", code: refused},
		{name: "100 spreads at one place (2 × 4,950 pairs)", query: "{ tagGroups { " + times("...N", 100) + "} } fragment N on TagGroup { name }"},
		{name: "101 spreads at one place (2 × 5,050 pairs)", query: "{ tagGroups { " + times("...N", 101) + "} } fragment N on TagGroup { name }", code: refused},
		{name: "100 inline fragments at one place", query: "{ tagGroups { " + times("... on TagGroup { __typename }", 100) + "} }"},
		{name: "101 inline fragments at one place", query: "{ tagGroups { " + times("... on TagGroup { __typename }", 101) + "} }", code: refused},
		// No field at all, so MAX_FIELDS does not see them; the rule
		// compared the 7,000 spreads pair by pair (0.35 s of CPU).
		{name: "7,000 spreads of a fragment without fields", query: "{ " + times("...F", 7000) + "} fragment F on Query { ...X }", code: refused},
		// gqlparser validates a fragment no operation spreads on its own.
		{name: "a fragment no operation spreads is a place of its own", query: "{ __typename } fragment U on TagGroup { " + times("name", 142) + "}", code: refused},
		{name: "a fragment no operation spreads, within the bound", query: "{ __typename } fragment U on TagGroup { name }", code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "a second fragment of one name", query: "{ tagGroups { ...N } } fragment N on TagGroup { name } fragment N on TagGroup { " + times("name", 142) + "}", code: refused},
		{name: "a fragment cycle", query: "{ ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }", code: "GRAPHQL_VALIDATION_FAILED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, resp := postJSON(t, h, map[string]any{"query": tc.query})
			if tc.code == "" {
				assert.Nil(t, resp["errors"])
				assert.NotNil(t, resp["data"])
				return
			}
			require.Equal(t, tc.code, firstCode(resp), resp)
			assert.NotContains(t, resp, "data")
			if tc.code == refused {
				errs := resp["errors"].([]any)
				assert.Len(t, errs, 1)
				assert.Equal(t, "repeatedSelections", errs[0].(map[string]any)["extensions"].(map[string]any)["limit"])
			}
		})
	}
}

// BenchmarkRepeatedFields: what a new document of many copies of one field
// costs the gateway, from the request to the answer (each iteration's
// document is new, as an attacker makes it, so the query cache does not
// help). 1,990 copies were validated in 165 to 277 ms before the bound;
// 141 (at the bound) are validated and served.
func BenchmarkRepeatedFields(b *testing.B) {
	for _, n := range []int{141, 1990} {
		b.Run(fmt.Sprint(n, " copies"), func(b *testing.B) {
			h := handlerWith(b, executor.Options{})
			fields := times("name", n)
			for i := 0; b.Loop(); i++ {
				postJSON(b, h, map[string]any{"query": fmt.Sprintf("query W%d { tagGroups { %s} }", i, fields)})
			}
		})
	}
}

// TestLongNamesDeepCostLittle: counting repeats takes memory for the
// fields, not for their paths: 99 nested fields of 10,000-character names
// with 1,900 fields at the bottom (a 1 MB body within every limit, which
// took 3.7 GB when each field's key was its whole path) is answered
// within a few MB, and an error names a path of at most 200 bytes.
func TestLongNamesDeepCostLittle(t *testing.T) {
	long := strings.Repeat("a", 10000)
	query := strings.Repeat("{ "+long+" ", 99) + "{ " + times("b", 1900) + "}" + strings.Repeat(" }", 99) + " }"
	h := handlerWith(t, executor.Options{})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, resp := postJSON(t, h, map[string]any{"query": query})
	runtime.ReadMemStats(&after)
	require.NotNil(t, resp["errors"], "refused, whatever the rule")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(200<<20), "allocated while answering")

	repeated := "{ tagGroups " + strings.Repeat("{ "+long+" ", 20) + "{ " + times("name", 142) + "}" + strings.Repeat(" }", 20) + " }"
	_, resp = postJSON(t, h, map[string]any{"query": repeated})
	require.Equal(t, "QUERY_LIMIT_EXCEEDED", firstCode(resp), resp)
	msg := resp["errors"].([]any)[0].(map[string]any)["message"].(string)
	assert.Less(t, len(msg), 600, "the path in the message is cut")
	assert.Contains(t, msg, "(…a")
}
