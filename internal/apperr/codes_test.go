package apperr

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMEErrorTableIsTheVocabulary: README's "Errors" table lists
// exactly the declared codes, in their order, so a code cannot be added,
// dropped or renamed in one place only.
func TestREADMEErrorTableIsTheVocabulary(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(raw)
	start := strings.Index(readme, "\n## Errors\n")
	require.GreaterOrEqual(t, start, 0, "README has an Errors section")
	section := readme[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	code := regexp.MustCompile("`([A-Z][A-Z_]+)`")
	var documented []Code
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.SplitN(line, "|", 3)[1] // the table's first column
		for _, m := range code.FindAllStringSubmatch(first, -1) {
			documented = append(documented, Code(m[1]))
		}
	}
	assert.Equal(t, Codes(), documented)
}

func TestCodesAreDistinctAndClassified(t *testing.T) {
	t.Parallel()
	seen := map[Code]bool{}
	for _, c := range Codes() {
		assert.False(t, seen[c], "%s declared twice", c)
		seen[c] = true
		assert.True(t, c.Known())
	}
	assert.False(t, Code("NOT_A_CODE").Known())
	assert.Equal(t, http.StatusUnauthorized, Unauthenticated.Status())
	assert.Equal(t, http.StatusOK, NotFound.Status(), "a field error has no status of its own")
	assert.True(t, QueryLimitExceeded.RequestError())
	assert.False(t, PersistedQueryNotFound.RequestError(), "APQ clients expect 200")
	assert.False(t, BadUserInput.RequestError())
}
