package sandbox

import (
	"github.com/tanma-gql/gateway/internal/tanma"
)

// listByQwUserID serves /api/v3/customer-relation/list-by-qw-user-id.
func (s *Server) listByQwUserID(body []byte) (any, error) {
	var req struct {
		QwUserID *string `json:"qwUserId"`
		Cursor   *string `json:"cursor"`
		Size     *int    `json:"size"`
		// Sandbox choice: Tanma documents `type` only as "类型" (an
		// integer, no values), and its own example asks for type 2 and
		// answers with customers of type 1, so any integer is accepted and
		// nothing is filtered by it.
		Type *int `json:"type"`
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
	return customerPage(s.Data().CustomersOf(*req.QwUserID), req.Cursor, size, *req.QwUserID)
}

// customerPage pages a customer list in upstream order, (createTime, id)
// ascending, after the cursor bound to scope.
func customerPage(list []tanma.Customer, cursor *string, size int, scope string) (tanma.CustomerPage, error) {
	items, next, a := keysetPage(list, keyOf, false, cursor, size, scope)
	if a != nil {
		return tanma.CustomerPage{}, a
	}
	if items == nil {
		items = []tanma.Customer{}
	}
	return tanma.CustomerPage{List: items, NextCursor: next}, nil
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

// pageNumber validates a numbered page (search, get-users): absent means
// the first, otherwise 1 or more.
func pageNumber(p *int) (int, *answer) {
	if p == nil {
		return 1, nil
	}
	if *p < 1 {
		return 0, validation("pageNo必须大于0")
	}
	return *p, nil
}

// keyOf is a customer's position in upstream order.
func keyOf(c tanma.Customer) cursorKey {
	var sec int64
	if c.CreateTime != nil {
		if t, err := tanma.ParseTime(*c.CreateTime); err == nil {
			sec = t.Unix()
		}
	}
	return cursorKey{sec, c.CustomerID}
}
