package graph_test

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestForgedCursorsAreRefused: a caller who rewrites a cursor of its own
// list (to carry another list's upstream token, or a huge page size) gets
// BAD_USER_INPUT, and nothing is sent upstream.
func TestForgedCursorsAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Customers struct{ PageInfo struct{ EndCursor string } }
	}
	e.mustDo(t, `{ customers(ownerId: "dowen", first: 1) { pageInfo { endCursor } } }`, &r)
	raw, err := base64.RawURLEncoding.DecodeString(r.Customers.PageInfo.EndCursor)
	require.NoError(t, err)
	end := len(raw) - 16 // the tag: 128 bits (relay's macSize)
	var c map[string]any
	require.NoError(t, json.Unmarshal(raw[:end], &c), "the payload is JSON followed by its tag")
	for name, edit := range map[string]func(map[string]any){
		"another token": func(c map[string]any) { c["t"] = "a-token-of-another-owners-list" },
		"a huge page":   func(c map[string]any) { c["z"] = 10000 },
	} {
		forged := map[string]any{}
		for k, v := range c {
			forged[k] = v
		}
		edit(forged)
		b, _ := json.Marshal(forged)
		for _, s := range []string{base64.RawURLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(append(b, raw[end:]...))} {
			e.sb.ResetCalls()
			errs := e.do(t, `query($a: String) { customers(ownerId: "dowen", first: 1, after: $a) { edges { cursor } } }`, nil, client.Var("a", s))
			assert.Equal(t, []string{"BAD_USER_INPUT"}, codes(errs), name)
			assert.Empty(t, e.calls(allPaths...), "%s: nothing sent upstream", name)
		}
	}
}

// TestListedCustomersOutsideTheScopeAreNotReturned: should the upstream
// list a customer of another staff member, a scoped caller does not get it.
func TestListedCustomersOutsideTheScopeAreNotReturned(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, rewriteAnswers(tanma.PathListByQwUserID, func(data map[string]any) {
		items, _ := data["list"].([]any)
		items[0].(map[string]any)["qwUserId"] = "lina"
	}))
	scoped := asCaller(auth.Caller{ID: "rep", Kind: auth.KindAPIKey, StaffIDs: []string{"dowen"}}, e.raw)
	e.h = scoped
	var r struct {
		Customers struct {
			Edges []struct {
				Node struct{ Owner struct{ QwUserID string } }
			}
		}
	}
	e.mustDo(t, `{ customers(ownerId: "dowen", first: 3) { edges { node { owner { qwUserId } } } } }`, &r)
	require.Len(t, r.Customers.Edges, 2, "the foreign customer is dropped")
	for _, edge := range r.Customers.Edges {
		assert.Equal(t, "dowen", edge.Node.Owner.QwUserID)
	}
}
