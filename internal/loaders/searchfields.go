package loaders

import (
	"context"
	"encoding/json"

	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// FromSearch turns a search result into a customer. When the answer carries
// no fields array, the fields are rebuilt from its values keyed by field id
// (this needs the field definitions; without them the fields stay empty).
func (l *Loaders) FromSearch(ctx context.Context, it tanma.SearchItem) tanma.Customer {
	c := it.Customer
	if len(c.Fields) == 0 && len(it.ByFieldID) > 0 {
		if set, err := l.Fields(ctx); err == nil {
			c.Fields = FieldsFromSearch(it.ByFieldID, set)
		}
	}
	return c
}

// FieldsFromSearch rebuilds a customer's fields array, in definition order,
// from a search item's values keyed by field id: search answers may carry
// profile fields that way instead of a fields array. A string value is kept
// as is; any other JSON value (a number, an array) keeps its JSON text.
func FieldsFromSearch(byID map[string]json.RawMessage, set *refdata.FieldSet) []tanma.Field {
	var out []tanma.Field
	for _, d := range set.Defs {
		raw, ok := byID[d.ID.String()]
		if !ok {
			continue
		}
		f := tanma.Field{Field: d.Key, Type: d.Type}
		var s string
		switch {
		case string(raw) == "null":
		case json.Unmarshal(raw, &s) == nil:
			f.ValueAsText = &s
		default:
			text := string(raw)
			f.ValueAsText = &text
		}
		out = append(out, f)
	}
	return out
}
