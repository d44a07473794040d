package sandbox

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"sort"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// keysetPage returns the page of list (sorted by key, descending when desc)
// that follows the cursor's item, and the cursor of the page's last item.
// Keyset paging as upstream: a full page always carries a cursor, so a list
// of an exact multiple of the page size ends with an empty page. The page
// starts after the cursor's item even if that item is gone; a cursor bound
// to another scope is a validation failure.
func keysetPage[T any](list []T, key func(T) cursorKey, desc bool, cursor *string, size int, scope string) ([]T, string, *answer) {
	start := 0
	if cursor != nil && *cursor != "" {
		k, ok := decodeCursor(*cursor, scope)
		if !ok {
			return nil, "", validation("cursor无效")
		}
		start = sort.Search(len(list), func(i int) bool {
			c := key(list[i]).compare(k)
			return c > 0 && !desc || c < 0 && desc
		})
	}
	end := min(start+size, len(list))
	page := list[start:end]
	next := ""
	if len(page) == size {
		next = encodeCursor(key(page[len(page)-1]), scope)
	}
	return page, next, nil
}

// cursorKey is the position of a record in a keyset-paged list: its
// createTime and id (a customer's, or a follow-up's).
type cursorKey struct {
	created int64 // createTime, Unix seconds
	id      tanma.ID
}

func (k cursorKey) compare(o cursorKey) int {
	return cmp.Or(cmp.Compare(k.created, o.created), cmp.Compare(k.id, o.id))
}

// encodeCursor makes an opaque 24-byte cursor like upstream's
// ("AAAAAGBDPMsAAAAACC5MoAAAAAADfxpa" decodes to a createTime and two ids):
// the last item's createTime, its id, and a check tying it to the list.
func encodeCursor(k cursorKey, scope string) string {
	var b [24]byte
	binary.BigEndian.PutUint64(b[0:], uint64(k.created))
	binary.BigEndian.PutUint64(b[8:], uint64(k.id))
	binary.BigEndian.PutUint64(b[16:], scopeHash(scope))
	return base64.StdEncoding.EncodeToString(b[:])
}

func decodeCursor(s, scope string) (cursorKey, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != 24 {
		return cursorKey{}, false
	}
	if !bytes.Equal(b[16:], binary.BigEndian.AppendUint64(nil, scopeHash(scope))) {
		return cursorKey{}, false
	}
	return cursorKey{int64(binary.BigEndian.Uint64(b[0:])), tanma.ID(binary.BigEndian.Uint64(b[8:]))}, true
}

func scopeHash(scope string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(scope))
	return h.Sum64() >> 8 // keep the cursor's look: a small leading byte
}
