package tanma

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
)

// PathSearchCustomers is the current advanced customer search.
const PathSearchCustomers = "/api/v3/customer/search"

// SearchRequest is the body of customer/search. Pages are numbered from 1.
type SearchRequest struct {
	CustomerID       ID          `json:"customerId,omitempty"`
	SearchKey        string      `json:"searchKey,omitempty"`
	Role             string      `json:"role,omitempty"` // "1" owner, "2" collaborator
	SalesIDList      []string    `json:"salesIdList,omitempty"`
	DepartmentIDList []string    `json:"departmentIdList,omitempty"`
	CreateTime       *TimeRange  `json:"createTime,omitempty"`
	Conditions       *Conditions `json:"conditions,omitempty"`
	PageNo           int         `json:"pageNo"`
	PageSize         int         `json:"pageSize"`
}

// Search condition codes. Tanma's search page shows them in its example
// (tags with op 6, a select field with op 2) without a table of their
// meaning.
const (
	conditionAnd    = 1
	opSelectAny     = 2 // the field's value is one of values (option ids)
	opHasAnyTag     = 6 // the customer has one of the tags (Tanma tag ids)
	conditionTagIDs = "tagIds"
)

// SearchFilter is a customer search in domain values; Request encodes it.
// Every part narrows the search (they combine with AND).
type SearchFilter struct {
	Text          string   // searchKey: words of a name, a phone number...
	SalesIDs      []string // owners, by salesId
	DepartmentIDs []ID     // owners' departments
	TagIDs        []ID     // customers with any of these tags (Tanma tag ids)
	StageIDs      []string // customers in any of these stages (customer_stage option ids)
	Created       Window   // when the customer was created
}

// Request encodes the filter as customer/search's body, without the page.
func (f SearchFilter) Request() SearchRequest {
	req := SearchRequest{SearchKey: f.Text, SalesIDList: f.SalesIDs, CreateTime: f.Created.TimeRange(),
		Conditions: &Conditions{ConditionOp: conditionAnd, ConditionItems: []ConditionItem{}}}
	for _, d := range f.DepartmentIDs {
		req.DepartmentIDList = append(req.DepartmentIDList, d.String())
	}
	if len(f.TagIDs) > 0 {
		values := make([]any, len(f.TagIDs))
		for i, id := range f.TagIDs {
			values[i] = id
		}
		req.Conditions.ConditionItems = append(req.Conditions.ConditionItems,
			ConditionItem{Name: conditionTagIDs, Op: opHasAnyTag, Values: values})
	}
	if len(f.StageIDs) > 0 {
		req.Conditions.ConditionItems = append(req.Conditions.ConditionItems,
			ConditionItem{Name: KeyStage, Op: opSelectAny, Values: optionValues(f.StageIDs)})
	}
	return req
}

// optionValues sends numeric option ids as JSON numbers, as Tanma's example
// does, and any other id as a string.
func optionValues(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		if n, err := ParseID(id); err == nil {
			out[i] = n
		} else {
			out[i] = id
		}
	}
	return out
}

// TimeRange bounds a time, "yyyy-MM-dd HH:mm:ss" China time.
type TimeRange struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// Conditions are advanced search conditions on fields (by system key or field id).
type Conditions struct {
	ConditionOp    int             `json:"conditionOp"`
	ConditionItems []ConditionItem `json:"conditionItems"`
}

// ConditionItem is one condition: a field, an operator code and values.
type ConditionItem struct {
	Name   string `json:"name"`
	Op     int    `json:"op"`
	Values []any  `json:"values"`
}

// SearchPage is one page of search results.
type SearchPage struct {
	TotalPage  int          `json:"totalPage"`
	TotalCount *int         `json:"totalCount"` // not documented upstream; nil when absent
	Total      *int         `json:"total"`      // the same, under the name some answers use
	Data       []SearchItem `json:"data"`
}

// Count returns the number of matches when the answer states it.
func (p SearchPage) Count() (int, bool) {
	switch {
	case p.TotalCount != nil:
		return *p.TotalCount, true
	case p.Total != nil:
		return *p.Total, true
	}
	return 0, false
}

// HasNext reports whether a page after page number pageNo exists: the
// answer says how many pages there are, or, when it does not, a full page
// may have a successor.
func (p SearchPage) HasNext(pageNo int) bool {
	return pageNo < p.TotalPage || (p.TotalPage == 0 && len(p.Data) == MaxPageSize)
}

// SearchItem is one search result: the customer list item properties it
// shares, plus every value keyed by numeric field id (how search answers
// carry profile fields, custom and system).
type SearchItem struct {
	Customer
	// SalesDeptNames is the owner's department names as a JSON array inside a string.
	SalesDeptNames *string `json:"salesDeptNames"`
	// ByFieldID holds the raw JSON of each key that is a numeric field id.
	ByFieldID map[string]json.RawMessage
}

// UnmarshalJSON decodes the shared properties and collects field-id keys.
// An item outside the documented shape does not fail its page: what could
// be read is kept and the rest named in Flaws (lenient.go); an item that
// is not an object keeps customer id 0.
func (s *SearchItem) UnmarshalJSON(b []byte) error {
	var all map[string]json.RawMessage
	if json.Unmarshal(b, &all) != nil || all == nil {
		s.Customer = Customer{Flaws: []Flaw{{Problem: FlawNotObject}}}
		return nil
	}
	if json.Unmarshal(b, &s.Customer) != nil {
		s.Customer = Customer{}
		s.Customer.readProps(all)
	}
	if raw, ok := all["salesDeptNames"]; ok {
		_ = json.Unmarshal(raw, &s.SalesDeptNames) // informational: a wrong type leaves it nil
	}
	if s.QwUserID == nil {
		// Search answers name the owner qwSalesId (a WeChat Work user id).
		var owner string
		if raw, ok := all["qwSalesId"]; ok && json.Unmarshal(raw, &owner) == nil && owner != "" {
			s.QwUserID = &owner
		}
	}
	for k, v := range all {
		if k != "" && strings.Trim(k, "0123456789") == "" {
			if s.ByFieldID == nil {
				s.ByFieldID = map[string]json.RawMessage{}
			}
			s.ByFieldID[k] = v
		}
	}
	return nil
}

// FieldKey is what a field definition says of a customer's field: its id,
// the key customers' fields arrays name it by, and its type code.
type FieldKey struct {
	ID   ID
	Key  string
	Type int
}

// CustomerWith returns the item as a customer whose fields array also
// holds the values the item carries keyed by field id (a field in both
// keeps the array's entry), named and ordered by keys, the field
// definitions in their order; fields no definition names come last, in key
// order (as the customer store orders a list's). So a customer read by
// search looks the same as one read from a list. A string value is kept as
// is; any other JSON value (a number, an array) keeps its JSON text,
// flagged WRONG_TYPE when the field's value cannot be of that JSON type
// (readsAs).
func (it SearchItem) CustomerWith(keys []FieldKey) Customer {
	c := it.Customer
	if len(it.ByFieldID) == 0 {
		return c
	}
	out := slices.Clone(c.Fields)
	add := func(key string, code int, raw json.RawMessage) {
		if slices.ContainsFunc(out, func(f Field) bool { return f.Field == key }) {
			return
		}
		f := Field{Field: key, Type: code}
		var s string
		switch {
		case isNull(raw):
		case json.Unmarshal(raw, &s) == nil:
			f.ValueAsText = &s
		default:
			text := string(bytes.TrimSpace(raw))
			f.ValueAsText = &text
			if !readsAs(code, text[0]) {
				f.Flaw = FlawWrongType
			}
		}
		out = append(out, f)
	}
	named := 0
	for _, k := range keys {
		if raw, ok := it.ByFieldID[k.ID.String()]; ok {
			named++
			add(k.Key, k.Type, raw)
		}
	}
	if named < len(it.ByFieldID) { // values of fields no definition names
		var unnamed []string
		for id := range it.ByFieldID {
			if !slices.ContainsFunc(keys, func(k FieldKey) bool { return k.ID.String() == id }) {
				unnamed = append(unnamed, id)
			}
		}
		slices.Sort(unnamed)
		for _, id := range unnamed {
			add(id, 0, it.ByFieldID[id])
		}
	}
	order := make(map[string]int, len(keys))
	for i, k := range keys {
		order[k.Key] = i
	}
	rank := func(f Field) int {
		if i, ok := order[f.Field]; ok {
			return i
		}
		return len(keys)
	}
	slices.SortStableFunc(out, func(a, b Field) int {
		if ra, rb := rank(a), rank(b); ra != rb || ra < len(keys) {
			return ra - rb
		}
		return strings.Compare(a.Field, b.Field)
	})
	c.Fields = out
	return c
}

// readsAs reports whether a search item's value of a field of type code
// whose JSON text starts with first (not a string: their type is not
// documented) can be that field's value: a number where the value is a
// number, an option id or a time, an array where it is a list (phones,
// options). Anything else (an object, a boolean, a number for text) is
// another JSON type than the field's; a field of an unknown type takes
// any.
func readsAs(code int, first byte) bool {
	switch code {
	case FieldText, FieldTextArea:
		return false
	case FieldSelect, FieldNumber, FieldDate, FieldDateTime:
		return first == '-' || (first >= '0' && first <= '9')
	case FieldMultiSelect, FieldPhone:
		return first == '['
	}
	return true
}

// SearchCustomers runs an advanced customer search, one numbered page at a
// time: POST /api/v3/customer/search.
func (c *Client) SearchCustomers(ctx context.Context, req SearchRequest) (SearchPage, error) {
	return read[SearchPage](ctx, c, PathSearchCustomers, req)
}

// SearchTotal is the number of customers req finds: stated by the answer,
// or counted from the last page. last is a page of req already fetched at
// MaxPageSize (lastNo its number; 0 for none): one call more unless it is
// the last page.
func (c *Client) SearchTotal(ctx context.Context, req SearchRequest, last SearchPage, lastNo int) (int, error) {
	req.PageSize = MaxPageSize
	if lastNo == 0 {
		req.PageNo, lastNo = 1, 1
		var err error
		if last, err = c.SearchCustomers(ctx, req); err != nil {
			return 0, err
		}
	}
	if n, ok := last.Count(); ok {
		return n, nil
	}
	if last.TotalPage == 0 {
		return 0, nil
	}
	if lastNo != last.TotalPage {
		req.PageNo = last.TotalPage
		var err error
		if last, err = c.SearchCustomers(ctx, req); err != nil {
			return 0, err
		}
	}
	return (last.TotalPage-1)*MaxPageSize + len(last.Data), nil
}
