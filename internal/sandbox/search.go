package sandbox

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// searchRequest is what the sandbox reads of a customer/search body.
//
// Tanma declares salesIdList and departmentIdList as string[] but its example
// sends numbers: tanma.ID takes either, in any mix.
type searchRequest struct {
	CustomerID       *tanma.ID   `json:"customerId"`
	SearchKey        string      `json:"searchKey"`
	SalesIDList      []tanma.ID  `json:"salesIdList"`
	DepartmentIDList []tanma.ID  `json:"departmentIdList"`
	Conditions       *conditions `json:"conditions"`
	PageNo           *int        `json:"pageNo"`
	PageSize         *int        `json:"pageSize"`
	CreateTime       *timeWindow `json:"createTime"`
}

type timeWindow struct {
	Start *string `json:"start"`
	End   *string `json:"end"`
}

// search serves /api/v3/customer/search: numbered pages from 1.
//
// Sandbox choice: each item carries the customer list item's properties, the
// owner as qwSalesId too, the owner's department names as salesDeptNames (a
// JSON array inside a string, as upstream sends it), and every profile field
// keyed by its numeric field id (as upstream's search answers do); the answer
// adds pageSize and totalCount, which upstream does not document.
// departmentIdList keeps the customers whose owner is in one of the
// departments; conditions are described at conditions.
func (s *Server) search(body []byte) (any, error) {
	var req searchRequest
	if a := decodeBody(body, &req); a != nil {
		return nil, a
	}
	pageNo, a := pageNumber(req.PageNo)
	if a != nil {
		return nil, a
	}
	size, a := pageSize(req.PageSize)
	if a != nil {
		return nil, a
	}
	d := s.Data() // one snapshot for the whole answer
	match, a := d.matcher(req)
	if a != nil {
		return nil, a
	}
	var hits []tanma.Customer
	for _, c := range d.Customers {
		if match(c) {
			hits = append(hits, c)
		}
	}
	total := len(hits)
	start := min((pageNo-1)*size, total)
	end := min(start+size, total)
	items := make([]map[string]any, 0, end-start)
	for _, c := range hits[start:end] {
		items = append(items, d.searchItem(c))
	}
	return searchPageJSON{
		PageNo:     pageNo,
		PageSize:   size,
		TotalPage:  (total + size - 1) / size,
		TotalCount: total,
		Data:       items,
	}, nil
}

// searchPageJSON is one page of search results.
type searchPageJSON struct {
	PageNo     int              `json:"pageNo"`
	PageSize   int              `json:"pageSize"`
	TotalPage  int              `json:"totalPage"`
	TotalCount int              `json:"totalCount"`
	Data       []map[string]any `json:"data"`
}

// matcher turns the request's filters into a predicate, or fails on
// conditions it cannot read.
func (d *Dataset) matcher(req searchRequest) (func(tanma.Customer) bool, *answer) {
	var owners, deptOwners []string
	for _, st := range d.Staff {
		if slices.Contains(req.SalesIDList, st.SalesID) {
			owners = append(owners, st.QwUserID)
		}
		if slices.ContainsFunc(st.Departments, func(dep Department) bool { return slices.Contains(req.DepartmentIDList, dep.ID) }) {
			deptOwners = append(deptOwners, st.QwUserID)
		}
	}
	cond, a := d.conditionMatcher(req.Conditions)
	if a != nil {
		return nil, a
	}
	key := strings.TrimSpace(req.SearchKey)
	return func(c tanma.Customer) bool {
		if req.CustomerID != nil && *req.CustomerID != 0 && c.CustomerID != *req.CustomerID {
			return false
		}
		if len(req.SalesIDList) > 0 && !slices.Contains(owners, deref(c.QwUserID)) {
			return false
		}
		if len(req.DepartmentIDList) > 0 && !slices.Contains(deptOwners, deref(c.QwUserID)) {
			return false
		}
		if !cond(c) {
			return false
		}
		if w := req.CreateTime; w != nil {
			ct := deref(c.CreateTime)
			if (w.Start != nil && *w.Start != "" && ct < *w.Start) || (w.End != nil && *w.End != "" && ct > *w.End) {
				return false
			}
		}
		return key == "" || d.mentions(c, key)
	}, nil
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

// searchItem renders a customer as a search result: as Tanma's do, its
// fields are top-level keys named by their field id, and its fields array
// holds the system fields only (custom fields are not in it).
func (d *Dataset) searchItem(c tanma.Customer) map[string]any {
	all := c.Fields
	var system []tanma.Field
	for _, f := range all {
		if def, ok := d.fieldByKey(f.Field); ok && def.System {
			system = append(system, f)
		}
	}
	c.Fields = system
	var item map[string]any
	b, _ := json.Marshal(c)
	_ = json.Unmarshal(b, &item)
	item["customerId"] = c.CustomerID // keep the exact int64
	item["qwSalesId"] = c.QwUserID
	item["salesDeptNames"] = d.deptNames(deref(c.QwUserID))
	for _, f := range all {
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

// deptNames is the owner's department names as a JSON array inside a string
// (`["销售一部","华南区"]`), in the order user-department lists them.
// Sandbox choice: null for an owner outside the staff directory.
func (d *Dataset) deptNames(qwUserID string) *string {
	st, ok := d.staffBy(func(st Staff) bool { return st.QwUserID == qwUserID })
	if !ok {
		return nil
	}
	names := make([]string, 0, len(st.Departments))
	for _, dep := range st.Departments {
		names = append(names, dep.Name)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(names)
	return str(strings.TrimSuffix(b.String(), "\n"))
}
