package model

import (
	"strings"

	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// FieldReport is told about a value that could not be typed: the field's key
// and the problem, never the value (it may be personal data).
type FieldReport func(key string, problem FieldValueProblem)

// TypeFields types a customer's raw fields array by each entry's type code
// (the definition's when the entry has none), labelled from the definitions.
// Nothing here fails: a value that does not parse keeps its text and carries
// a problem, and report hears of it.
func TypeFields(raw []tanma.Field, set *refdata.FieldSet, report FieldReport) []CustomerField {
	out := make([]CustomerField, 0, len(raw))
	for _, f := range raw {
		def, _ := set.ByKey(f.Field)
		cf := typeField(f, def, set != nil)
		if p := cf.GetProblem(); p != nil {
			report(f.Field, *p)
		}
		out = append(out, cf)
	}
	return out
}

// typeField types one field with its definition; defined says whether the
// definitions were loaded (without them nothing can be said of options).
func typeField(f tanma.Field, def *refdata.FieldDef, defined bool) CustomerField {
	code := f.Type
	if code == 0 && def != nil {
		code = def.Type
	}
	key, label, text := f.Field, fieldLabel(f.Field, def), nonEmpty(f.ValueAsText)
	if def == nil && defined && !refdata.IsSystemKey(key) {
		// Nothing says what it is: the list's type code for it has no
		// counterpart in a search item, so every entry point shows it so.
		return &UnknownCustomerField{Key: key, Label: label, Kind: FieldKindUnknown, Text: text,
			Problem: problem(FieldValueProblemUndefinedField)}
	}
	kind := KindOf(code)
	if f.Flaw != "" {
		return wrongType(key, label, kind, code, text)
	}
	switch kind {
	case FieldKindText:
		return &TextCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Value: text}
	case FieldKindTextarea:
		return &TextAreaCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Value: text}
	case FieldKindSelect:
		cf := &SelectCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text}
		if text != nil {
			opt, known := Option(def, strings.TrimSpace(*text))
			cf.Option, cf.Problem = &opt, unknownOption(def, known, defined)
		}
		return cf
	case FieldKindMultiSelect:
		cf := &MultiSelectCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Options: []SelectOption{}}
		if text != nil {
			ids, ok := tanma.ParseOptionIDs(*text)
			if !ok {
				cf.Problem = problem(FieldValueProblemMalformed)
			}
			for _, id := range ids {
				opt, known := Option(def, id)
				cf.Options = append(cf.Options, opt)
				if cf.Problem == nil {
					cf.Problem = unknownOption(def, known, defined)
				}
			}
		}
		return cf
	case FieldKindDate:
		cf := &DateCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text}
		if text != nil {
			if d, ok := tanma.ParseDate(*text); ok {
				cf.Date = &Date{d}
			} else {
				cf.Problem = problem(FieldValueProblemMalformed)
			}
		}
		return cf
	case FieldKindDateTime:
		cf := &DateTimeCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text}
		if text != nil {
			if t, ok := tanma.ParseDateTime(*text); ok {
				cf.DateTime = &t
			} else {
				cf.Problem = problem(FieldValueProblemMalformed)
			}
		}
		return cf
	case FieldKindNumber:
		cf := &NumberCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text}
		if text != nil {
			if n, ok := tanma.ParseNumber(*text); ok {
				cf.Number = &n
			} else {
				cf.Problem = problem(FieldValueProblemMalformed)
			}
		}
		return cf
	case FieldKindPhone:
		cf := &PhoneCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Phones: []string{}}
		if text != nil {
			var ok bool
			cf.Phones, ok = tanma.ParsePhones(*text)
			if !ok {
				cf.Problem = problem(FieldValueProblemMalformed)
			}
		}
		return cf
	}
	return &UnknownCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text,
		Problem: problem(FieldValueProblemUnknownType)}
}

// wrongType is a field Tanma sent outside its documented shape: its kind
// and text as sent, no typed value, problem WRONG_TYPE.
func wrongType(key, label string, kind FieldKind, code int, text *string) CustomerField {
	p := problem(FieldValueProblemWrongType)
	switch kind {
	case FieldKindText:
		return &TextCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Problem: p}
	case FieldKindTextarea:
		return &TextAreaCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Problem: p}
	case FieldKindSelect:
		return &SelectCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Problem: p}
	case FieldKindMultiSelect:
		return &MultiSelectCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Options: []SelectOption{}, Problem: p}
	case FieldKindDate:
		return &DateCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Problem: p}
	case FieldKindDateTime:
		return &DateTimeCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Problem: p}
	case FieldKindNumber:
		return &NumberCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Problem: p}
	case FieldKindPhone:
		return &PhoneCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Phones: []string{}, Problem: p}
	}
	return &UnknownCustomerField{Key: key, Label: label, Kind: kind, TypeCode: code, Text: text, Problem: p}
}

// KindOf maps a Tanma type code to its kind.
func KindOf(code int) FieldKind {
	switch code {
	case tanma.FieldText:
		return FieldKindText
	case tanma.FieldSelect:
		return FieldKindSelect
	case tanma.FieldDate:
		return FieldKindDate
	case tanma.FieldNumber:
		return FieldKindNumber
	case tanma.FieldTextArea:
		return FieldKindTextarea
	case tanma.FieldMultiSelect:
		return FieldKindMultiSelect
	case tanma.FieldDateTime:
		return FieldKindDateTime
	case tanma.FieldPhone:
		return FieldKindPhone
	}
	return FieldKindUnknown
}

// Option returns a select option with its label from def, and whether def
// knows the id.
func Option(def *refdata.FieldDef, id string) (SelectOption, bool) {
	opt := SelectOption{ID: id, Label: def.Label(id)}
	return opt, opt.Label != nil
}

// unknownOption flags an option id nothing labels: one its definition does
// not list, or any when the loaded definitions have none for the field.
// Without the definitions (they could not be loaded; an error says so) or
// for a definition without options, nothing can be said.
func unknownOption(def *refdata.FieldDef, known, defined bool) *FieldValueProblem {
	switch {
	case known, !defined, def != nil && len(def.Items) == 0:
		return nil
	}
	return problem(FieldValueProblemUnknownOption)
}

func fieldLabel(key string, def *refdata.FieldDef) string {
	if def != nil && def.Name != "" {
		return def.Name
	}
	if l, ok := refdata.SystemLabels[key]; ok {
		return l
	}
	return key
}

func problem(p FieldValueProblem) *FieldValueProblem { return &p }

// NewFieldDefinition maps a definition for Query.customerFields.
func NewFieldDefinition(d *refdata.FieldDef) CustomerFieldDefinition {
	out := CustomerFieldDefinition{
		FieldID: d.ID.String(), Key: d.Key, Label: fieldLabel(d.Key, d), Kind: KindOf(d.Type),
		TypeCode: d.Type, System: d.System(), Options: make([]SelectOption, 0, len(d.Items)),
	}
	for _, it := range d.Items {
		name := it.Name
		out.Options = append(out.Options, SelectOption{ID: string(it.ID), Label: &name})
	}
	return out
}
