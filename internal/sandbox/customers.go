package sandbox

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"sort"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// listByQwUserID serves /api/v3/customer-relation/list-by-qw-user-id.
func (s *Server) listByQwUserID(body []byte) (any, error) {
	var req struct {
		QwUserID *string `json:"qwUserId"`
		Cursor   *string `json:"cursor"`
		Size     *int    `json:"size"`
		Type     *int    `json:"type"`
	}
	if a := decodeBody(body, &req); a != nil {
		return nil, a
	}
	if req.QwUserID == nil || *req.QwUserID == "" {
		return nil, validation("qwUserId不能为空")
	}
	size, a := pageSize(req.Size)
	if a != nil {
		return nil, a
	}
	list := s.data.CustomersOf(*req.QwUserID)
	if req.Type != nil && *req.Type != 0 {
		// Sandbox choice: a non-zero type keeps the customers of that type.
		list = slices.DeleteFunc(list, func(c tanma.Customer) bool { return c.Type == nil || *c.Type != *req.Type })
	}
	start := 0
	if req.Cursor != nil && *req.Cursor != "" {
		k, ok := decodeCursor(*req.Cursor, *req.QwUserID)
		if !ok {
			return nil, validation("cursor无效")
		}
		// The page starts after the cursor's item, even if that item is gone.
		start = sort.Search(len(list), func(i int) bool { return keyOf(list[i]).compare(k) > 0 })
	}
	end := min(start+size, len(list))
	page := tanma.CustomerPage{List: list[start:end]}
	if page.List == nil {
		page.List = []tanma.Customer{}
	}
	// Keyset paging as upstream: a full page always carries a cursor, so an
	// owner with an exact multiple of the page size ends with an empty page.
	if len(page.List) == size {
		page.NextCursor = encodeCursor(keyOf(page.List[len(page.List)-1]), *req.QwUserID)
	}
	return page, nil
}

// pageSize validates a size: absent means the cap, otherwise 1 to the cap.
func pageSize(p *int) (int, *answer) {
	if p == nil {
		return tanma.MaxPageSize, nil
	}
	if *p < 1 || *p > tanma.MaxPageSize {
		return 0, validation("size必须在1到100之间")
	}
	return *p, nil
}

// cursorKey is the position of a customer in upstream order.
type cursorKey struct {
	created int64 // createTime, Unix seconds
	id      tanma.ID
}

func keyOf(c tanma.Customer) cursorKey {
	var sec int64
	if c.CreateTime != nil {
		if t, err := tanma.ParseTime(*c.CreateTime); err == nil {
			sec = t.Unix()
		}
	}
	return cursorKey{sec, c.CustomerID}
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
