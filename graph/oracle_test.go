package graph_test

import (
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestHiddenIsMissing: for a caller scoped to lina, dowen's customer
// answers exactly as an id no customer has (code, message, path, data),
// through customer, node and nodes: the error tells nothing of whether it
// exists.
func TestHiddenIsMissing(t *testing.T) {
	t.Parallel()
	e := newEnv(t).as(scopedTo("lina"))
	const missing = "398604120669999"
	for _, q := range []string{
		`query($id: ID!) { c: customer(id: $id) { name } }`,
		`query($id: ID!) { c: node(id: $id) { id } }`,
		`query($id: ID!) { c: nodes(ids: [$id]) { id } }`,
	} {
		ask := func(id string) (string, []gqlError) {
			if q != `query($id: ID!) { c: customer(id: $id) { name } }` {
				n, err := tanma.ParseID(id)
				require.NoError(t, err)
				id = customerGID(n)
			}
			var r map[string]any
			errs := e.do(t, q, &r, client.Var("id", id))
			out, _ := json.Marshal(r)
			return string(out), errs
		}
		hiddenData, hidden := ask(seedID.String())
		missingData, absent := ask(missing)
		require.Len(t, hidden, 1, q)
		require.Len(t, absent, 1, q)
		assert.Equal(t, absent[0].Message, hidden[0].Message, q)
		assert.Equal(t, absent[0].Extensions, hidden[0].Extensions, q)
		assert.Equal(t, absent[0].Path, hidden[0].Path, q)
		assert.Equal(t, missingData, hiddenData, q)
		assert.Equal(t, "NOT_FOUND", hidden[0].Extensions["code"], q)
	}
}
