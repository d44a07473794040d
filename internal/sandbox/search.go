package sandbox

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// searchRequest is what the sandbox reads of a customer/search body.
type searchRequest struct {
	CustomerID  *tanma.ID   `json:"customerId"`
	SearchKey   string      `json:"searchKey"`
	SalesIDList []tanma.ID  `json:"salesIdList"`
	PageNo      *int        `json:"pageNo"`
	PageSize    *int        `json:"pageSize"`
	CreateTime  *timeWindow `json:"createTime"`
}

type timeWindow struct {
	Start *string `json:"start"`
	End   *string `json:"end"`
}

// search serves /api/v3/customer/search: numbered pages from 1.
//
// Sandbox choice: each item carries the customer list item's properties, the
// owner as qwSalesId too, and every profile field keyed by its numeric field
// id (as upstream's search answers do); the answer adds totalCount, which
// upstream does not document.
func (s *Server) search(body []byte) (any, error) {
	var req searchRequest
	if a := decodeBody(body, &req); a != nil {
		return nil, a
	}
	pageNo := 1
	if req.PageNo != nil {
		if *req.PageNo < 1 {
			return nil, validation("pageNo必须大于0")
		}
		pageNo = *req.PageNo
	}
	size, a := pageSize(req.PageSize)
	if a != nil {
		return nil, a
	}
	match := s.data.matcher(req)
	var hits []tanma.Customer
	for _, c := range s.data.Customers {
		if match(c) {
			hits = append(hits, c)
		}
	}
	total := len(hits)
	start := min((pageNo-1)*size, total)
	end := min(start+size, total)
	items := make([]map[string]any, 0, end-start)
	for _, c := range hits[start:end] {
		items = append(items, s.data.searchItem(c))
	}
	return map[string]any{
		"totalPage":  (total + size - 1) / size,
		"totalCount": total,
		"pageNo":     pageNo,
		"data":       items,
	}, nil
}

// matcher turns the request's filters into a predicate.
func (d *Dataset) matcher(req searchRequest) func(tanma.Customer) bool {
	var owners []string
	for _, id := range req.SalesIDList {
		for _, st := range d.Staff {
			if st.SalesID == id {
				owners = append(owners, st.QwUserID)
			}
		}
	}
	key := strings.TrimSpace(req.SearchKey)
	return func(c tanma.Customer) bool {
		if req.CustomerID != nil && *req.CustomerID != 0 && c.CustomerID != *req.CustomerID {
			return false
		}
		if len(req.SalesIDList) > 0 && !slices.Contains(owners, deref(c.QwUserID)) {
			return false
		}
		if w := req.CreateTime; w != nil {
			ct := deref(c.CreateTime)
			if (w.Start != nil && *w.Start != "" && ct < *w.Start) || (w.End != nil && *w.End != "" && ct > *w.End) {
				return false
			}
		}
		return key == "" || d.mentions(c, key)
	}
}

// mentions reports whether the customer's name, phones or remark contain key.
func (d *Dataset) mentions(c tanma.Customer, key string) bool {
	if strings.Contains(deref(c.QwRemark), key) {
		return true
	}
	for _, f := range c.Fields {
		if (f.Field == tanma.KeyName || f.Field == tanma.KeyMobile) && strings.Contains(deref(f.ValueAsText), key) {
			return true
		}
	}
	return false
}

// searchItem renders a customer as a search result.
func (d *Dataset) searchItem(c tanma.Customer) map[string]any {
	var item map[string]any
	b, _ := json.Marshal(c)
	_ = json.Unmarshal(b, &item)
	item["customerId"] = c.CustomerID // keep the exact int64
	item["qwSalesId"] = c.QwUserID
	for _, f := range c.Fields {
		if def, ok := d.fieldByKey(f.Field); ok {
			item[def.ID.String()] = f.ValueAsText
		}
	}
	return item
}

// fieldByKey finds a definition by the key customers' fields arrays use.
func (d *Dataset) fieldByKey(key string) (FieldDef, bool) {
	i := slices.IndexFunc(d.Fields, func(f FieldDef) bool { return f.Key == key })
	if i < 0 {
		return FieldDef{}, false
	}
	return d.Fields[i], true
}
