package sandbox

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// clueValue turns an add-clue fieldValue into the valueAsText customers
// carry; null clears the field.
func clueValue(def FieldDef, raw json.RawMessage) (*string, *answer) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	switch def.Type {
	case tanma.FieldMultiSelect, tanma.FieldPhone:
		var items []json.RawMessage
		if raw[0] != '[' {
			items = []json.RawMessage{raw}
		} else if json.Unmarshal(raw, &items) != nil {
			return nil, badValue(def)
		}
		texts := make([]string, 0, len(items))
		for _, it := range items {
			t, ok := scalarText(it)
			if !ok {
				return nil, badValue(def)
			}
			texts = append(texts, t)
		}
		if def.Type == tanma.FieldPhone {
			return phoneValue(texts)
		}
		return optionIDs(def, texts)
	}
	t, ok := scalarText(raw)
	if !ok {
		return nil, badValue(def)
	}
	if def.Type == tanma.FieldSelect {
		if !slices.ContainsFunc(def.Options, func(o Option) bool { return o.ID == t }) {
			return nil, validation(def.Name + "选项不存在")
		}
		return &t, nil
	}
	return scalarValue(def, t)
}

// updateValue turns update-by-id values (select options by label) into the
// valueAsText customers carry; no values clear the field.
func updateValue(def FieldDef, values []string) (*string, *answer) {
	if len(values) == 0 {
		return nil, nil
	}
	switch def.Type {
	case tanma.FieldPhone:
		return phoneValue(values)
	case tanma.FieldMultiSelect, tanma.FieldSelect:
		ids := make([]string, 0, len(values))
		for _, v := range values {
			i := slices.IndexFunc(def.Options, func(o Option) bool { return o.Name == v })
			if i < 0 {
				return nil, validation(def.Name + "选项不存在")
			}
			ids = append(ids, def.Options[i].ID)
		}
		if def.Type == tanma.FieldSelect {
			if len(ids) > 1 {
				return nil, validation(def.Name + "只能有一个值")
			}
			return &ids[0], nil
		}
		return jsonText(ids), nil
	}
	if len(values) > 1 {
		return nil, validation(def.Name + "只能有一个值")
	}
	return scalarValue(def, values[0])
}

// scalarValue checks a one-value field's text against its type.
func scalarValue(def FieldDef, t string) (*string, *answer) {
	ok := true
	switch def.Type {
	case tanma.FieldNumber:
		_, err := strconv.ParseFloat(t, 64)
		ok = err == nil
	case tanma.FieldDate:
		_, err := time.Parse(tanma.DateLayout, t)
		ok = err == nil
	case tanma.FieldDateTime:
		_, err := tanma.ParseTime(t)
		ok = err == nil
	}
	if !ok {
		return nil, badValue(def)
	}
	return &t, nil
}

// optionIDs checks multi-select option ids and encodes them.
func optionIDs(def FieldDef, ids []string) (*string, *answer) {
	for _, id := range ids {
		if !slices.ContainsFunc(def.Options, func(o Option) bool { return o.ID == id }) {
			return nil, validation(def.Name + "选项不存在")
		}
	}
	return jsonText(ids), nil
}

// phoneValue checks phone numbers and encodes them as a JSON array.
func phoneValue(numbers []string) (*string, *answer) {
	ms, a := phoneList(numbers)
	if a != nil {
		return nil, a
	}
	return jsonText(ms), nil
}

// phoneList checks phone numbers (tanma.ValidPhone) and drops repeats.
func phoneList(numbers []string) ([]string, *answer) {
	out := make([]string, 0, len(numbers))
	for _, n := range numbers {
		n = strings.TrimSpace(n)
		if !tanma.ValidPhone(n) {
			return nil, validation("电话号码格式错误")
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// scalarText reads a JSON string or number as text.
func scalarText(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

// jsonText is a string list as the JSON array text customers carry.
func jsonText(xs []string) *string {
	b, _ := json.Marshal(xs)
	return str(string(b))
}

func badValue(def FieldDef) *answer { return validation(def.Name + "格式错误") }
