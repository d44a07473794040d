package executor_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/logtest"
)

// TestMalformedPersistedQueriesAreTheCallersMistake: a document that does
// not hash to the sha256 sent with it, or a persistedQuery extension the
// gateway does not read, is refused with a 4xx and a code of its own,
// never INTERNAL, and nothing is logged as an error of the gateway.
func TestMalformedPersistedQueriesAreTheCallersMistake(t *testing.T) {
	t.Parallel()
	log, logs := logtest.JSON(nil)
	h := handlerLogged(t, executor.Options{}, log)
	const q = `{ staffMember(qwUserId: "dowen") { qwUserId } }`
	for _, tc := range []struct {
		name string
		body map[string]any
		code string
	}{
		{"hash of another document", map[string]any{"query": q, "extensions": apqExt(sha("{ __typename }"))}, "PERSISTED_QUERY_HASH_MISMATCH"},
		{"unsupported version", map[string]any{"query": q, "extensions": map[string]any{
			"persistedQuery": map[string]any{"version": 2, "sha256Hash": sha(q)}}}, "BAD_REQUEST"},
		{"not an object", map[string]any{"query": q, "extensions": map[string]any{"persistedQuery": "yes"}}, "BAD_REQUEST"},
	} {
		status, resp := postJSON(t, h, tc.body)
		assert.Equal(t, http.StatusOK, status, tc.name)
		assert.Equal(t, tc.code, firstCode(resp), tc.name)
	}
	assert.NotContains(t, logs.String(), `"level":"ERROR"`)
}
