package graph

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Bounds of written values.
const (
	maxFieldInputs = 50   // fields per mutation
	maxTextRunes   = 2000 // a text value
	maxPhones      = 10   // phone numbers per field
)

// fieldWrite is one checked field value: the definition it writes and the
// value as text, one entry per value (none clears the field). Select values
// are option ids.
type fieldWrite struct {
	def    *refdata.FieldDef
	values []string
}

// checkFieldInputs checks every input against the field definitions before
// anything is sent: a known key given once, exactly one value argument and
// the one of the field's kind, known option ids, well-formed phones. The
// error names the field by position and key (keys are the definitions',
// never the caller's text: an unknown key is named by position only).
func checkFieldInputs(set *refdata.FieldSet, in []model.CustomerFieldInput, arg string) ([]fieldWrite, error) {
	if len(in) > maxFieldInputs {
		return nil, apperr.BadInput("%s takes at most %d fields, got %d", arg, maxFieldInputs, len(in))
	}
	out := make([]fieldWrite, 0, len(in))
	seen := map[string]bool{}
	labels := map[string]int{}
	for _, d := range set.Defs {
		labels[d.Name]++
	}
	for i, f := range in {
		def, ok := set.ByKey(strings.TrimSpace(f.Key))
		if !ok {
			return nil, fieldError(fmt.Sprintf("%s[%d]", arg, i), "", "key is not a customer field key (see customerFields)")
		}
		where := fieldPos(arg, i, def)
		if seen[def.Key] {
			return nil, fieldError(where, def.Key, "names a field already set in this input")
		}
		if labels[def.Name] > 1 {
			return nil, fieldError(where, def.Key, "shares its label with another field, and Tanma takes written fields by label: it cannot be written through the gateway")
		}
		seen[def.Key] = true
		values, err := fieldValues(def, f)
		if err != "" {
			return nil, fieldError(where, def.Key, err)
		}
		out = append(out, fieldWrite{def: def, values: values})
	}
	return out, nil
}

// fieldPos names an input field by position, key and label.
func fieldPos(arg string, i int, def *refdata.FieldDef) string {
	return fmt.Sprintf("%s[%d] (`%s`, %s)", arg, i, def.Key, def.Name)
}

// fieldError is BAD_USER_INPUT naming the field; extensions.field holds its
// key for clients that highlight it.
func fieldError(where, key, problem string) error {
	e := apperr.BadInput("%s: %s", where, problem)
	if key != "" {
		e.Extensions = map[string]any{"field": key}
	}
	return e
}

// fieldValues reads the one value argument an input gives as text values,
// or says what is wrong.
func fieldValues(def *refdata.FieldDef, f model.CustomerFieldInput) ([]string, string) {
	kind := model.KindOf(def.Type)
	given := givenArgs(f)
	if len(given) == 0 {
		return nil, "give a value (`" + argFor(kind) + "`) or `clear: true`"
	}
	if len(given) > 1 {
		return nil, "give exactly one of `" + strings.Join(given, "`, `") + "`"
	}
	if f.Clear != nil {
		if !*f.Clear {
			return nil, "`clear` must be true when given"
		}
		if def.Key == tanma.KeyName {
			return nil, "the name cannot be cleared"
		}
		return []string{}, ""
	}
	if want := argFor(kind); given[0] != want {
		return nil, fmt.Sprintf("is a %s field: give `%s`, not `%s`", kind, want, given[0])
	}
	switch kind {
	case model.FieldKindText, model.FieldKindTextarea:
		t := strings.TrimSpace(*f.Text)
		if utf8.RuneCountInString(t) > maxTextRunes {
			return nil, fmt.Sprintf("text is longer than %d characters", maxTextRunes)
		}
		if kind == model.FieldKindText && strings.ContainsAny(t, "\r\n") {
			return nil, "a single-line text field takes no line breaks"
		}
		if t == "" {
			if def.Key == tanma.KeyName {
				return nil, "the name cannot be blank"
			}
			return []string{}, ""
		}
		return []string{t}, ""
	case model.FieldKindNumber:
		if math.IsInf(*f.Number, 0) || math.IsNaN(*f.Number) {
			return nil, "number must be finite"
		}
		return []string{tanma.FormatNumber(*f.Number)}, ""
	case model.FieldKindDate:
		return []string{tanma.FormatDate(f.Date.Time)}, ""
	case model.FieldKindDateTime:
		return []string{tanma.FormatDateTime(*f.DateTime)}, ""
	case model.FieldKindSelect:
		id := strings.TrimSpace(*f.OptionID)
		if p := optionProblem(def, id); p != "" {
			return nil, "optionId " + p
		}
		return []string{id}, ""
	case model.FieldKindMultiSelect:
		ids := make([]string, 0, len(f.OptionIds))
		for j, id := range f.OptionIds {
			id = strings.TrimSpace(id)
			if p := optionProblem(def, id); p != "" {
				return nil, fmt.Sprintf("optionIds[%d] %s", j, p)
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return ids, ""
	case model.FieldKindPhone:
		return checkPhones(f.Phones, "phones")
	}
	return nil, "has a type this gateway cannot write (type code " + strconv.Itoa(def.Type) + ")"
}

// optionProblem says what keeps an option id from being written: not one
// of the field's options, or one whose label another option shares (Tanma
// takes an update's options by label).
func optionProblem(def *refdata.FieldDef, id string) string {
	label, ok := def.OptionLabel(id)
	if !ok {
		return "is not one of the field's options (see customerFields)"
	}
	n := 0
	for _, it := range def.Items {
		if it.Name == label {
			n++
		}
	}
	if n > 1 {
		return "is an option whose label another option shares, and Tanma takes options by label: it cannot be written through the gateway"
	}
	return ""
}

// givenArgs names the value arguments an input sets.
func givenArgs(f model.CustomerFieldInput) []string {
	var out []string
	for _, a := range []struct {
		name string
		set  bool
	}{
		{"text", f.Text != nil}, {"number", f.Number != nil}, {"date", f.Date != nil},
		{"dateTime", f.DateTime != nil}, {"optionId", f.OptionID != nil}, {"optionIds", f.OptionIds != nil},
		{"phones", f.Phones != nil}, {"clear", f.Clear != nil},
	} {
		if a.set {
			out = append(out, a.name)
		}
	}
	return out
}

// argFor is the value argument of a kind.
func argFor(kind model.FieldKind) string {
	switch kind {
	case model.FieldKindNumber:
		return "number"
	case model.FieldKindDate:
		return "date"
	case model.FieldKindDateTime:
		return "dateTime"
	case model.FieldKindSelect:
		return "optionId"
	case model.FieldKindMultiSelect:
		return "optionIds"
	case model.FieldKindPhone:
		return "phones"
	}
	return "text"
}

// checkPhones checks phone numbers (tanma.ValidPhone) and drops repeats. The problem
// names the position, never the number.
func checkPhones(in []string, arg string) ([]string, string) {
	if len(in) > maxPhones {
		return nil, fmt.Sprintf("%s takes at most %d numbers", arg, maxPhones)
	}
	out := make([]string, 0, len(in))
	for i, p := range in {
		p = strings.TrimSpace(p)
		if !tanma.ValidPhone(p) {
			return nil, fmt.Sprintf("%s[%d] is not a phone number (digits, an optional leading +, - or spaces between)", arg, i)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, ""
}

// tanmaWrites are checked values as Tanma's write codec takes them.
func tanmaWrites(ws []fieldWrite) []tanma.FieldWrite {
	out := make([]tanma.FieldWrite, len(ws))
	for i, w := range ws {
		out[i] = tanma.FieldWrite{Def: w.def.FieldDef, Values: w.values}
	}
	return out
}
