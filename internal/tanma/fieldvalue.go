package tanma

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// The field-value codec: how a value of a customer's fields array is read
// from its valueAsText (Parse*), and how values are written back (Format*,
// UpdateFields, ClueFields). Tanma documents the type codes (see Field*)
// but not every form a value takes; the readers accept every form seen.

// ParseNumber reads a number value in the decimal form Tanma writes
// (digits, an optional leading minus and fraction: "-12.5"); false for
// anything else, however strconv would read it (hex "0x1p4", exponents,
// "Inf", digit separators).
func ParseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !isDecimal(s) {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil && !math.IsInf(n, 0)
}

// isDecimal reports whether s is -?digits(.digits)?.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	return digits(whole) && (!dot || digits(frac))
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ParseDate reads a date value, yyyy-MM-dd, or a date with a time as
// ParseDateTime reads it (the time must be one: "25:99:99" makes the
// value malformed, not a date).
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > len(DateLayout) && s[len(DateLayout)] == ' ' {
		if _, ok := ParseDateTime(s); !ok {
			return time.Time{}, false
		}
		s = s[:len(DateLayout)]
	}
	t, err := time.Parse(DateLayout, s)
	return t, err == nil
}

// dateTimeLayouts are the forms a date-time value is read in, China time.
var dateTimeLayouts = []string{DateTimeLayout, "2006-01-02 15:04", DateLayout}

// ParseDateTime reads a date-time value, China time: "yyyy-MM-dd
// HH:mm:ss", without seconds, or a date alone.
func ParseDateTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range dateTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, Shanghai); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ParseOptionIDs reads a multi-select value: a JSON array of option ids
// (strings or numbers) or a comma-separated list.
func ParseOptionIDs(s string) ([]string, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		var ids []Text
		if err := json.Unmarshal([]byte(s), &ids); err != nil {
			return nil, false
		}
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			if t := strings.TrimSpace(string(id)); t != "" {
				out = append(out, t)
			}
		}
		return out, true
	}
	var out []string
	for _, id := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' }) {
		if t := strings.TrimSpace(id); t != "" {
			out = append(out, t)
		}
	}
	return out, true
}

// ParsePhones reads a phone value: a JSON array of strings, or of whole
// numbers (Tanma sometimes writes [13800000000]: the digits are the
// number). false says it was malformed: not such an array (nothing is
// read), or an entry that is neither (a number in exponent form such as
// 1.38e10 has lost its digits: it is left out).
func ParsePhones(s string) ([]string, bool) {
	var list []json.RawMessage
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return []string{}, false
	}
	out, ok := make([]string, 0, len(list)), true
	for _, raw := range list {
		var p string
		switch {
		case json.Unmarshal(raw, &p) == nil:
		case digits(string(raw)):
			p = string(raw)
		default:
			ok = false
			continue
		}
		if p := strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out, ok
}

// FormatNumber writes a number value as decimal text.
func FormatNumber(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

// FormatDate writes a date value, yyyy-MM-dd.
func FormatDate(t time.Time) string { return t.Format(DateLayout) }

// FormatDateTime writes a date-time value, "yyyy-MM-dd HH:mm:ss" China time.
func FormatDateTime(t time.Time) string { return t.In(Shanghai).Format(DateTimeLayout) }

// OptionLabel returns the label of the definition's option id.
func (d FieldDef) OptionLabel(id string) (string, bool) {
	for _, it := range d.Items {
		if string(it.ID) == id {
			return it.Name, true
		}
	}
	return "", false
}

// FieldWrite is one field value to write: the field's definition and its
// values as text (Format*; option ids for selects), one entry per value
// (several for multi selects and phones, none to clear the field).
type FieldWrite struct {
	Def    FieldDef
	Values []string
}

// UpdateFields encodes values for customer/update-by-id: fields by label,
// select options by label (as seen in use), other values as text.
func UpdateFields(ws []FieldWrite) []UpdateField {
	out := make([]UpdateField, len(ws))
	for i, w := range ws {
		values := w.Values
		if w.Def.Type == FieldSelect || w.Def.Type == FieldMultiSelect {
			values = make([]string, len(w.Values))
			for j, id := range w.Values {
				values[j], _ = w.Def.OptionLabel(id)
			}
		}
		out[i] = UpdateField{Alias: w.Def.Name, Values: values}
	}
	return out
}

// ClueFields encodes values for add-clue: fields by label, numbers and
// numeric option ids as JSON numbers ("性别": 0, as seen in use), multi
// selects and phones as arrays, the rest as text; a cleared field is left
// out (a new clue's fields start empty).
func ClueFields(ws []FieldWrite) []ClueField {
	out := make([]ClueField, 0, len(ws))
	for _, w := range ws {
		if len(w.Values) == 0 {
			continue
		}
		var v any = w.Values[0]
		switch w.Def.Type {
		case FieldNumber:
			v = json.Number(w.Values[0])
		case FieldSelect:
			if isDecimalInt(w.Values[0]) {
				v = json.Number(w.Values[0])
			}
		case FieldMultiSelect, FieldPhone:
			v = w.Values
		}
		out = append(out, ClueField{Alias: w.Def.Name, FieldValue: v})
	}
	return out
}

// isDecimalInt reports whether s is a plain decimal integer.
func isDecimalInt(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil && !strings.HasPrefix(s, "+")
}
