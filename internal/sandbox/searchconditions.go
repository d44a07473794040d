package sandbox

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// conditions are customer/search's advanced conditions.
//
// Sandbox choice: Tanma does not publish its operator codes. The sandbox
// reads conditionOp 1 as AND (also when absent) and 0 as OR, and knows two
// conditions:
//   - name "tagIds", op 6: the customer has any of the tags; values are
//     Tanma's numeric tag ids (not qwTagIds), mapped through the tag library;
//     an id the library does not hold matches nobody.
//   - name a field key ("customer_stage", "customer_source", a custom field's
//     id as text) or any field's id as text, op 2: the field's value is any
//     of values (option ids for selects, where a multi select matches when
//     one of its options is among them; the exact text otherwise). A null
//     value matches nothing.
//
// Values are JSON strings or numbers (compared by their decimal text). Any
// other name, op, conditionOp or value, or an empty values array, is a
// validation failure. An empty conditionItems filters nothing.
type conditions struct {
	ConditionOp    *int            `json:"conditionOp"`
	ConditionItems []conditionItem `json:"conditionItems"`
}

type conditionItem struct {
	Name   string            `json:"name"`
	Op     *int              `json:"op"`
	Values []json.RawMessage `json:"values"`
}

// Condition codes the sandbox knows.
const (
	conditionOr  = 0
	conditionAnd = 1

	opAnyOf     = 2 // a field's value is one of values
	opHasAnyTag = 6 // the customer has one of the tags
	nameTagIDs  = "tagIds"
)

// conditionMatcher turns conditions into a predicate.
func (d *Dataset) conditionMatcher(c *conditions) (func(tanma.Customer) bool, *answer) {
	if c == nil || len(c.ConditionItems) == 0 {
		if c != nil && c.ConditionOp != nil && *c.ConditionOp != conditionAnd && *c.ConditionOp != conditionOr {
			return nil, validation("conditionOp只能是0或1")
		}
		return func(tanma.Customer) bool { return true }, nil
	}
	and := true
	if c.ConditionOp != nil {
		switch *c.ConditionOp {
		case conditionAnd:
		case conditionOr:
			and = false
		default:
			return nil, validation("conditionOp只能是0或1")
		}
	}
	preds := make([]func(tanma.Customer) bool, 0, len(c.ConditionItems))
	for _, it := range c.ConditionItems {
		p, a := d.condition(it)
		if a != nil {
			return nil, a
		}
		preds = append(preds, p)
	}
	return func(cu tanma.Customer) bool {
		for _, p := range preds {
			if p(cu) != and {
				return !and
			}
		}
		return and
	}, nil
}

// condition reads one condition item.
func (d *Dataset) condition(it conditionItem) (func(tanma.Customer) bool, *answer) {
	if it.Op == nil {
		return nil, validation("op不能为空")
	}
	if len(it.Values) == 0 {
		return nil, validation("values不能为空")
	}
	values := make([]string, 0, len(it.Values))
	for _, raw := range it.Values {
		v, ok := valueText(raw)
		if !ok {
			return nil, validation("values只能是字符串或数字")
		}
		values = append(values, v)
	}
	if it.Name == nameTagIDs {
		if *it.Op != opHasAnyTag {
			return nil, validation("tagIds不支持op")
		}
		return d.hasAnyTag(values)
	}
	def, ok := d.fieldByKey(it.Name)
	if !ok {
		i := slices.IndexFunc(d.Fields, func(f FieldDef) bool { return f.ID.String() == it.Name })
		if i < 0 {
			return nil, validation("未知的条件字段" + it.Name)
		}
		def = d.Fields[i]
	}
	if *it.Op != opAnyOf {
		return nil, validation(it.Name + "不支持op")
	}
	return func(c tanma.Customer) bool {
		for _, f := range c.Fields {
			if f.Field == def.Key && f.ValueAsText != nil {
				return slices.ContainsFunc(selected(def, *f.ValueAsText), func(v string) bool { return slices.Contains(values, v) })
			}
		}
		return false
	}, nil
}

// hasAnyTag matches customers carrying one of the tags (Tanma tag ids).
func (d *Dataset) hasAnyTag(ids []string) (func(tanma.Customer) bool, *answer) {
	var qwTagIDs []string
	for _, v := range ids {
		id, err := tanma.ParseID(v)
		if err != nil {
			return nil, validation("tagIds的值必须是数字标签id")
		}
		for _, g := range d.TagGroups {
			for _, t := range g.Tags {
				if t.ID == id {
					qwTagIDs = append(qwTagIDs, t.QwTagID)
				}
			}
		}
	}
	return func(c tanma.Customer) bool {
		return slices.ContainsFunc(c.TagIDs, func(t string) bool { return slices.Contains(qwTagIDs, t) })
	}, nil
}

// selected returns the values a field holds: the option ids of a multi
// select (a JSON array or a comma list), the text itself otherwise.
func selected(def FieldDef, v string) []string {
	if def.Type != tanma.FieldMultiSelect {
		return []string{v}
	}
	var ids []string
	if json.Unmarshal([]byte(v), &ids) == nil {
		return ids
	}
	return strings.Split(v, ",")
}

// valueText reads a condition value: a JSON string, or a number's literal text.
func valueText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		return s, json.Unmarshal(raw, &s) == nil
	}
	var n json.Number
	if string(raw) == "null" || json.Unmarshal(raw, &n) != nil {
		return "", false
	}
	return n.String(), true
}
