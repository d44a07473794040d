package executor_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/executor"
)

func TestTrustedDocumentsOnly(t *testing.T) {
	t.Parallel()
	const trusted = `{ staffMember(qwUserId: "dowen") { name } }`
	const other = `{ staffMember(qwUserId: "majun") { name } }`
	path := filepath.Join(t.TempDir(), "persisted-documents.json")
	raw, err := json.Marshal(map[string]string{sha(trusted): trusted})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, raw, 0o600))
	docs, err := executor.LoadTrustedDocuments(path)
	require.NoError(t, err)
	h := handlerWith(t, executor.Options{TrustedDocuments: docs})

	tests := []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"trusted document", map[string]any{"query": trusted}, http.StatusOK, ""},
		{"trusted hash alone, first request", map[string]any{"extensions": apqExt(sha(trusted))}, http.StatusOK, ""},
		{"trusted document with its hash", map[string]any{"query": trusted, "extensions": apqExt(sha(trusted))}, http.StatusOK, ""},
		{"other document", map[string]any{"query": other}, http.StatusOK, "PERSISTED_QUERY_NOT_ALLOWED"},
		{"other document registered by APQ", map[string]any{"query": other, "extensions": apqExt(sha(other))}, http.StatusOK, "PERSISTED_QUERY_NOT_ALLOWED"},
		{"other hash alone", map[string]any{"extensions": apqExt(sha(other))}, http.StatusOK, "PERSISTED_QUERY_NOT_ALLOWED"},
		{"trusted hash with another document", map[string]any{"query": other, "extensions": apqExt(sha(trusted))}, http.StatusOK, "PERSISTED_QUERY_NOT_ALLOWED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, resp := postJSON(t, h, tt.body)
			assert.Equal(t, tt.status, status, "%v", resp)
			assert.Equal(t, tt.code, firstCode(resp), "%v", resp)
			if tt.code == "" {
				member, _ := resp["data"].(map[string]any)["staffMember"].(map[string]any)
				assert.NotEmpty(t, member["name"], "%v", resp)
			}
		})
	}
}

func TestTrustedDocumentsFileIsChecked(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"wrong hash":   `{"` + sha("{ a }") + `": "{ b }"}`,
		"not JSON":     `{ staff { name } }`,
		"null":         `null`,
		"no documents": `{}`,
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		_, err := executor.LoadTrustedDocuments(path)
		assert.Error(t, err, name)
	}
	path := filepath.Join(dir, "upper")
	require.NoError(t, os.WriteFile(path, []byte(`{"`+strings.ToUpper(sha("{ a }"))+`": "{ a }"}`), 0o600))
	docs, err := executor.LoadTrustedDocuments(path)
	require.NoError(t, err)
	assert.Contains(t, docs, sha("{ a }"), "hashes are kept in lowercase, as requests send them")
}

func TestAutomaticPersistedQueriesUseTheGivenCache(t *testing.T) {
	t.Parallel()
	cache := mapCache{}
	h := handlerWith(t, executor.Options{PersistedQueries: cache})
	const q = `{ staffMember(qwUserId: "dowen") { qwUserId } }`
	_, resp := postJSON(t, h, map[string]any{"extensions": apqExt(sha(q))})
	assert.Equal(t, "PERSISTED_QUERY_NOT_FOUND", firstCode(resp))
	status, resp := postJSON(t, h, map[string]any{"query": q, "extensions": apqExt(sha(q))})
	require.Equal(t, http.StatusOK, status, "%v", resp)
	require.Len(t, cache, 1, "registered in the given cache")
	for key, doc := range cache {
		assert.Equal(t, q, doc)
		assert.NotEqual(t, sha(q), key, "under the caller's own name for the hash")
	}
	_, resp = postJSON(t, h, map[string]any{"extensions": apqExt(sha(q))})
	assert.Empty(t, resp["errors"])
	assert.Equal(t, "dowen", resp["data"].(map[string]any)["staffMember"].(map[string]any)["qwUserId"])
}

// mapCache is a graphql.Cache in a map (single-goroutine tests only).
type mapCache map[string]string

func (m mapCache) Get(_ context.Context, k string) (string, bool) { v, ok := m[k]; return v, ok }
func (m mapCache) Add(_ context.Context, k, v string)             { m[k] = v }

// sharingCache records what the handler shares with other replicas.
type sharingCache struct {
	local  map[string]string
	shared []string
}

func (c *sharingCache) Get(_ context.Context, h string) (string, bool) {
	q, ok := c.local[h]
	return q, ok
}
func (c *sharingCache) Add(_ context.Context, h, q string)   { c.local[h] = q }
func (c *sharingCache) Share(_ context.Context, h, _ string) { c.shared = append(c.shared, h) }

// TestOnlyValidDocumentsAreShared: a document registered with APQ reaches
// the other replicas only once it has passed validation and the limits.
func TestOnlyValidDocumentsAreShared(t *testing.T) {
	t.Parallel()
	cache := &sharingCache{local: map[string]string{}}
	h := handlerWith(t, executor.Options{PersistedQueries: cache})
	register := func(q string) string {
		_, resp := postJSON(t, h, map[string]any{"query": q,
			"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": sha(q)}}})
		return firstCode(resp)
	}
	assert.Equal(t, "GRAPHQL_VALIDATION_FAILED", register(`{ noSuchField }`))
	assert.Equal(t, "GRAPHQL_PARSE_FAILED", register(`{ junk `))
	assert.Empty(t, cache.shared, "documents that cannot run are not shared")
	const good = `{ tagGroups { name } }`
	assert.Empty(t, register(good))
	require.Len(t, cache.shared, 1)
	assert.Contains(t, cache.local, cache.shared[0], "shared under the name it was registered under")
}

// TestPersistedQueriesBelongToTheirCaller: a document one caller
// registered runs by its hash for that caller only; another caller gets
// PERSISTED_QUERY_NOT_FOUND, as if nobody had sent it, and may register it
// for itself.
func TestPersistedQueriesBelongToTheirCaller(t *testing.T) {
	t.Parallel()
	cache := mapCache{}
	a := handlerAs(t, executor.Options{PersistedQueries: cache}, auth.Caller{ID: "dash-a", Kind: auth.KindAPIKey})
	b := handlerAs(t, executor.Options{PersistedQueries: cache}, auth.Caller{ID: "dash-b", Kind: auth.KindAPIKey})
	const q = `{ staffMember(qwUserId: "dowen") { qwUserId } }`
	status, resp := postJSON(t, a, map[string]any{"query": q, "extensions": apqExt(sha(q))})
	require.Equal(t, http.StatusOK, status, "%v", resp)
	_, resp = postJSON(t, a, map[string]any{"extensions": apqExt(sha(q))})
	assert.Empty(t, resp["errors"], "its caller runs it by hash")
	_, resp = postJSON(t, b, map[string]any{"extensions": apqExt(sha(q))})
	assert.Equal(t, "PERSISTED_QUERY_NOT_FOUND", firstCode(resp), "another caller does not")
	_, resp = postJSON(t, b, map[string]any{"query": q, "extensions": apqExt(sha(q))})
	assert.Empty(t, resp["errors"], "and registers it for itself")
	assert.Len(t, cache, 2)
}
