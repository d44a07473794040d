package tanma

import (
	"context"
	"encoding/json"
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
func (s *SearchItem) UnmarshalJSON(b []byte) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &s.Customer); err != nil {
		return err
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

// SearchCustomers runs an advanced customer search, one numbered page at a
// time: POST /api/v3/customer/search.
func (c *Client) SearchCustomers(ctx context.Context, req SearchRequest) (SearchPage, error) {
	var page SearchPage
	err := c.Do(ctx, PathSearchCustomers, req, &page)
	return page, err
}
