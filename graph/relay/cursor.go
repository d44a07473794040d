package relay

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"hash"
	"sync"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// cursorVersion is bumped whenever the cursor payload changes meaning.
const cursorVersion = 3

// macSize is the length of a cursor's authentication tag (128 bits).
const macSize = 16

// Codec signs the cursors it issues and accepts only those, so a client
// can neither forge a cursor nor alter one (carry another list's upstream
// token, or a page size of its choosing) into what the gateway sends
// upstream. Its key is shared by every replica (derived from the app key):
// a cursor from one replica works on the others.
type Codec struct {
	key  []byte
	macs sync.Pool // of hash.Hash: HMAC-SHA256 with key, reset before use
}

// NewCodec returns a codec signing with key.
func NewCodec(key []byte) *Codec { return &Codec{key: append([]byte(nil), key...)} }

// mac is payload's tag, written into sum. The HMAC states are reused: a
// new one costs five allocations, and a page signs a cursor per edge.
func (k *Codec) mac(payload []byte, sum *[sha256.Size]byte) []byte {
	m, _ := k.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, k.key)
	} else {
		m.Reset()
	}
	m.Write(payload)
	tag := m.Sum(sum[:0])[:macSize]
	k.macs.Put(m)
	return tag
}

// maxOffset bounds the in-page offset a cursor may claim: upstream pages
// hold at most a hundred items, and a forged huge offset must not overflow.
const maxOffset = 10000

// cursor is the payload of a Relay cursor: where its item sits upstream.
type cursor struct {
	V     int    `json:"v"`           // version
	Scope string `json:"s"`           // hash of the connection's arguments
	Walk  string `json:"w,omitempty"` // the walk's id (see Walks)
	Token string `json:"t,omitempty"` // upstream token of the item's page ("" = first page)
	Size  int    `json:"z,omitempty"` // upstream size of the item's page (0: the list's fixed size)
	Off   int    `json:"o"`           // offset of the item inside that page
	Key   string `json:"k"`           // the item's id, to re-find it if the page shifted
	Next  string `json:"n,omitempty"` // next page token, set on a page's last item only
	Last  bool   `json:"l,omitempty"` // the item is its page's last
}

// encode writes the payload and its tag.
func (k *Codec) encode(c cursor) string {
	b, _ := json.Marshal(c) // a struct of strings and ints: cannot fail
	var sum [sha256.Size]byte
	return base64.RawURLEncoding.EncodeToString(append(b, k.mac(b, &sum)...))
}

// errInvalidCursor refuses a cursor this gateway did not issue, or one
// altered since.
var errInvalidCursor = apperr.BadInput("invalid cursor: pass a cursor this connection returned")

// decodeCursor checks a cursor's tag, parses it and checks that it belongs
// to this scope and that its page size is one lim could have issued.
func (k *Codec) decode(s, scope string, lim Limits) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) <= macSize {
		return cursor{}, errInvalidCursor
	}
	payload, tag := b[:len(b)-macSize], b[len(b)-macSize:]
	var sum [sha256.Size]byte
	if !hmac.Equal(tag, k.mac(payload, &sum)) {
		return cursor{}, errInvalidCursor
	}
	if json.Unmarshal(payload, &c) != nil || c.V != cursorVersion || c.Off < 0 || c.Off > maxOffset || c.Size < 0 ||
		c.Size > lim.maxPageSize() || c.Key == "" {
		return cursor{}, errInvalidCursor
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
