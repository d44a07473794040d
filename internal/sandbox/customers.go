package sandbox

import (
	"slices"

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
	list := ofType(s.data.CustomersOf(*req.QwUserID), req.Type)
	return customerPage(list, req.Cursor, size, *req.QwUserID)
}

// ofType keeps the customers of a type, in a new slice when it filters.
func ofType(list []tanma.Customer, typ *int) []tanma.Customer {
	if typ == nil || *typ == 0 {
		return list
	}
	// Sandbox choice: a non-zero type keeps the customers of that type.
	return slices.DeleteFunc(slices.Clone(list), func(c tanma.Customer) bool { return c.Type == nil || *c.Type != *typ })
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
