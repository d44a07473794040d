package tanma

import (
	"context"
	"encoding/json"
)

// Field type codes of a customer's fields array (the "type" of each entry).
// Unknown codes may appear: keep their text and never fail on them.
const (
	FieldText        = 1 // single-line text
	FieldSelect      = 2 // single select: valueAsText is the option id
	FieldDate        = 3 // date: yyyy-MM-dd (sometimes with a time)
	FieldNumber      = 4 // number: decimal text
	FieldTextArea    = 5 // multi-line text
	FieldMultiSelect = 6 // multi select: option ids, a JSON array or a comma list
	FieldDateTime    = 7 // date-time: yyyy-MM-dd HH:mm:ss
	FieldPhone       = 8 // phone: a JSON array of strings
)

// System field keys of the customer fields array.
const (
	KeyName              = "name"
	KeyMobile            = "mobile"
	KeyGender            = "gender"
	KeyBirthday          = "birthday"
	KeyAddress           = "address"
	KeyCorpName          = "corp_name"
	KeyDescription       = "description"
	KeySource            = "customer_source"
	KeyStage             = "customer_stage"
	KeyPurchaseIntention = "purchase_intention"
)

// FieldDef is a customer field definition, as list-fields sends it.
// Tanma does not document which property matches the `field` key of a
// customer's fields array: OuterField when set, else the definition's id as
// text for custom fields; system fields use fixed keys (see the Key* names).
type FieldDef struct {
	ID                     ID          `json:"id"`
	Name                   string      `json:"name"`
	Type                   int         `json:"type"`
	OuterField             *string     `json:"outerField"`
	Items                  []FieldItem `json:"items"`
	Stable                 bool        `json:"stable"` // a built-in (system) field
	CustomerImportRequired bool        `json:"customerImportRequired"`
	// LeftOut marks an entry Tanma listed that is no definition (null, a
	// property of another JSON type, no id): it holds nothing else and is
	// kept only to be counted (refdata leaves it out).
	LeftOut bool `json:"leftOut,omitempty"`
}

// FieldItem is one option of a select or multi-select field. Its id is what
// a customer's valueAsText holds for that choice.
type FieldItem struct {
	ID   Text   `json:"id"`
	Name string `json:"name"`
}

// PathListFields lists the customer field definitions.
const PathListFields = "/api/v2/customer/list-fields"

// ListFields returns every customer field definition, system and custom,
// with the options of select fields: POST /api/v2/customer/list-fields.
// An entry that is no definition is marked LeftOut, the others kept.
func (c *Client) ListFields(ctx context.Context) ([]FieldDef, error) {
	var data struct {
		Fields []json.RawMessage `json:"fields"`
	}
	err := c.Do(ctx, PathListFields, struct{}{}, &data)
	if err == nil && data.Fields == nil {
		return nil, Invalid(PathListFields, "the answer has no fields array")
	}
	if err != nil {
		return nil, err
	}
	return eachOf(data.Fields, func(d FieldDef) bool { return d.ID > 0 }, FieldDef{LeftOut: true}), nil
}
