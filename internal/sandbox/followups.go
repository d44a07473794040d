package sandbox

import (
	"slices"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// followUpPageJSON is one page of list-follow-up.
type followUpPageJSON struct {
	List       []FollowUp `json:"list"`
	NextCursor string     `json:"nextCursor"`
}

// listFollowUps serves /api/v3/clue/list-follow-up: a customer's follow-ups,
// newest first, keyset paged like the customer lists.
//
// Sandbox choice: customerId missing or 0 is a validation failure; an
// unknown customer has no follow-ups (an empty list, not a failure). size
// defaults to 100 and must be 1..100. A non-zero type keeps the records of
// that type (1 notes, 2 system logs, see FollowUpNote); 0 or absent keeps
// all. The opaque cursor holds the last record's createTime and id and is
// bound to the customer; "" ends the list, and a full page always carries a
// cursor, as the customer lists do.
func (s *Server) listFollowUps(body []byte) (any, error) {
	var req struct {
		CustomerID *tanma.ID `json:"customerId"`
		Size       *int      `json:"size"`
		Type       *int      `json:"type"`
		Cursor     *string   `json:"cursor"`
	}
	if a := decodeBody(body, &req); a != nil {
		return nil, a
	}
	if req.CustomerID == nil || *req.CustomerID == 0 {
		return nil, validation("customerId不能为空")
	}
	size, a := pageSize(req.Size)
	if a != nil {
		return nil, a
	}
	list := s.Data().FollowUpsOf(*req.CustomerID)
	if req.Type != nil && *req.Type != 0 {
		list = slices.DeleteFunc(list, func(f FollowUp) bool { return f.Type != *req.Type })
	}
	items, next, a := keysetPage(list, followUpKey, true, req.Cursor, size, "follow-up\x00"+req.CustomerID.String())
	if a != nil {
		return nil, a
	}
	return followUpPageJSON{List: append([]FollowUp{}, items...), NextCursor: next}, nil
}

// followUpKey is a follow-up's position: newest first is descending order.
func followUpKey(f FollowUp) cursorKey {
	var sec int64
	if t, err := tanma.ParseTime(f.CreateTime); err == nil {
		sec = t.Unix()
	}
	return cursorKey{sec, f.ID}
}
