package sandbox

import (
	"strconv"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// listByRelationCreateTime serves
// /api/v3/customer-relation/list-by-relation-create-time-asc: customers whose
// relation was created in [since, before), oldest first, with the answer
// shape and paging of list-by-qw-user-id.
//
// Sandbox choice: a customer's createTime is its relation's creation time.
// since and before are required "yyyy-MM-dd HH:mm:ss" China times; missing,
// malformed, or since not before before is a validation failure. An absent
// or empty qwUserId lists every owner's customers; an unknown one lists
// none. The cursor is bound to (qwUserId, since, before): it is rejected by
// a request with other bounds or another owner.
func (s *Server) listByRelationCreateTime(body []byte) (any, error) {
	var req struct {
		Since    *string `json:"since"`
		Before   *string `json:"before"`
		QwUserID *string `json:"qwUserId"`
		Cursor   *string `json:"cursor"`
		Size     *int    `json:"size"`
		Type     *int    `json:"type"`
	}
	if a := decodeBody(body, &req); a != nil {
		return nil, a
	}
	since, a := requiredTime("since", req.Since)
	if a != nil {
		return nil, a
	}
	before, a := requiredTime("before", req.Before)
	if a != nil {
		return nil, a
	}
	if !since.Before(before) {
		return nil, validation("since必须早于before")
	}
	size, a := pageSize(req.Size)
	if a != nil {
		return nil, a
	}
	owner := deref(req.QwUserID)
	d := s.Data() // one snapshot for the whole answer
	all := d.Customers
	if owner != "" {
		all = d.CustomersOf(owner)
	}
	var list []tanma.Customer
	for _, c := range all {
		if c.QwUserID == nil {
			continue // a clue nobody owns yet has no relation to list
		}
		if k := keyOf(c); k.created >= since.Unix() && k.created < before.Unix() {
			list = append(list, c)
		}
	}
	scope := "relation-create-time\x00" + owner + "\x00" + strconv.FormatInt(since.Unix(), 10) + "\x00" + strconv.FormatInt(before.Unix(), 10)
	return customerPage(list, req.Cursor, size, scope)
}

// requiredTime parses a required upstream time parameter.
func requiredTime(name string, v *string) (time.Time, *answer) {
	if v == nil || *v == "" {
		return time.Time{}, validation(name + "不能为空")
	}
	t, err := tanma.ParseTime(*v)
	if err != nil {
		return time.Time{}, validation(name + "格式错误，应为yyyy-MM-dd HH:mm:ss")
	}
	return t, nil
}
