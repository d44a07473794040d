package loaders

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// FromSearch turns a search result into a customer. Tanma's search items
// carry custom fields as top-level keys named by the field id, and may also
// carry a fields array (with the system fields): both are read, merged,
// and put in definition order, so a customer read by search looks the same
// as one read from a list. Without the definitions the id-keyed values
// cannot be named, and only the fields array is kept.
func (l *Loaders) FromSearch(ctx context.Context, it tanma.SearchItem) tanma.Customer {
	c := it.Customer
	if len(it.ByFieldID) == 0 {
		return c
	}
	if set, err := l.Fields(ctx); err == nil {
		c.Fields = MergeSearchFields(c.Fields, it.ByFieldID, set)
	}
	return c
}

// MergeSearchFields adds to a search item's fields array the fields it
// carries as values keyed by field id (a field in both keeps the array's
// entry), and orders the result as the definitions are ordered (fields no
// definition names last, in the order they came). A string value is kept
// as is; any other JSON value (a number, an array) keeps its JSON text.
func MergeSearchFields(fields []tanma.Field, byID map[string]json.RawMessage, set *refdata.FieldSet) []tanma.Field {
	out := slices.Clone(fields)
	for _, d := range set.Defs {
		raw, ok := byID[d.ID.String()]
		if !ok || slices.ContainsFunc(out, func(f tanma.Field) bool { return f.Field == d.Key }) {
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
	order := make(map[string]int, len(set.Defs))
	for i, d := range set.Defs {
		order[d.Key] = i
	}
	rank := func(f tanma.Field) int {
		if i, ok := order[f.Field]; ok {
			return i
		}
		return len(set.Defs)
	}
	slices.SortStableFunc(out, func(a, b tanma.Field) int { return rank(a) - rank(b) })
	return out
}
