package sandbox

import (
	"encoding/json"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// fieldJSON is a field definition in list-fields' wire shape, keys in the
// documented order: {"id":436,"name":"性别","type":2,"outerField":null,
// "items":[{"id":0,"name":"其它"},...],"stable":true,"customerImportRequired":false}.
type fieldJSON struct {
	ID                     tanma.ID         `json:"id"`
	Name                   string           `json:"name"`
	Type                   int              `json:"type"`
	OuterField             *string          `json:"outerField"`
	Items                  *[]fieldItemJSON `json:"items,omitempty"`
	Stable                 bool             `json:"stable"`
	CustomerImportRequired bool             `json:"customerImportRequired"`
}

type fieldItemJSON struct {
	ID   json.Number `json:"id"`
	Name string      `json:"name"`
}

// listFields serves /api/v2/customer/list-fields.
//
// As in Tanma's own example, every definition carries outerField null, and
// stable is true for the system fields but 生日 (birthday) and 购买意向
// (purchase intention), which the example and Tanma send as false: a
// system field is known by its label, a custom field by its id.
//
// Sandbox choice: the body (documented as {}) is read only to reject
// malformed JSON; an empty body is accepted too. Custom fields are keyed in
// fields arrays by their definition id as text. Option ids are JSON numbers
// whose decimal text is the valueAsText customers carry. items is sent for
// single and multi selects (types 2 and 6) only.
func (s *Server) listFields(body []byte) (any, error) {
	if a := decodeOptionalObject(body); a != nil {
		return nil, a
	}
	d := s.Data() // one snapshot for the whole answer
	fields := make([]fieldJSON, 0, len(d.Fields))
	for _, f := range d.Fields {
		stable := f.System && f.Key != tanma.KeyBirthday && f.Key != tanma.KeyPurchaseIntention
		fj := fieldJSON{ID: f.ID, Name: f.Name, Type: f.Type, Stable: stable, CustomerImportRequired: f.ImportRequired}
		if f.Type == tanma.FieldSelect || f.Type == tanma.FieldMultiSelect {
			items := make([]fieldItemJSON, 0, len(f.Options))
			for _, o := range f.Options {
				items = append(items, fieldItemJSON{ID: json.Number(o.ID), Name: o.Name})
			}
			fj.Items = &items
		}
		fields = append(fields, fj)
	}
	return map[string]any{"fields": fields}, nil
}

// decodeOptionalObject accepts an empty body or a JSON object.
func decodeOptionalObject(body []byte) *answer {
	if len(body) == 0 {
		return nil
	}
	var v map[string]json.RawMessage
	if err := json.Unmarshal(body, &v); err != nil {
		return validation("请求体格式错误")
	}
	return nil
}
