package relay

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// cursorVersion is bumped whenever the cursor payload changes meaning.
const cursorVersion = 2

// maxOffset bounds the in-page offset a cursor may claim: upstream pages
// hold at most a hundred items, and a forged huge offset must not overflow.
const maxOffset = 10000

// cursor is the payload of a Relay cursor: where its item sits upstream.
type cursor struct {
	V     int    `json:"v"`           // version
	Scope string `json:"s"`           // hash of the connection's arguments
	Token string `json:"t,omitempty"` // upstream token of the item's page ("" = first page)
	Size  int    `json:"z,omitempty"` // upstream size of the item's page (0: the list's fixed size)
	Off   int    `json:"o"`           // offset of the item inside that page
	Key   string `json:"k"`           // the item's id, to re-find it if the page shifted
	Next  string `json:"n,omitempty"` // next page token, set on a page's last item only
	Last  bool   `json:"l,omitempty"` // the item is its page's last
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c) // a struct of strings and ints: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor parses a cursor and checks that it belongs to this scope.
func decodeCursor(s, scope string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.V != cursorVersion || c.Off < 0 || c.Off > maxOffset || c.Size < 0 || c.Size > maxOffset || c.Key == "" {
		return cursor{}, apperr.BadInput("invalid cursor: pass a cursor this connection returned")
	}
	if c.Scope != scopeHash(scope) {
		return cursor{}, apperr.BadInput("the cursor belongs to another list: cursors are valid only with the arguments they were returned for")
	}
	return c, nil
}

// scopeHash keeps cursors short and free of argument values. It is a
// truncated SHA-256, not a fast hash: nobody can craft a scope (an owner id,
// a search) whose cursors another list would accept.
func scopeHash(scope string) string {
	sum := sha256.Sum256([]byte(scope))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}
