package marshal

import (
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// Object is the marshaler of an object: its collected fields, in order,
// with the values the generated executor computed for them. It writes what
// graphql.FieldSet writes (the first field of each alias, in order),
// without the map of written aliases FieldSet makes for every object and
// the copy of every field it makes while writing. Aliases are GraphQL
// names, which need no escaping in JSON.
func Object(fields []graphql.CollectedField, values []graphql.Marshaler) graphql.Marshaler {
	return &object{fields: fields, values: values}
}

type object struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

func (o *object) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, "{")
	first := true
	for i := range o.fields {
		alias := o.fields[i].Alias
		if written(o.fields[:i], alias) {
			continue
		}
		if first {
			first = false
			_, _ = io.WriteString(w, `"`)
		} else {
			_, _ = io.WriteString(w, `,"`)
		}
		_, _ = io.WriteString(w, alias)
		_, _ = io.WriteString(w, `":`)
		o.values[i].MarshalGQL(w)
	}
	_, _ = io.WriteString(w, "}")
}

// written: an earlier field has the alias. Objects have a few fields, so a
// scan costs less than a map.
func written(earlier []graphql.CollectedField, alias string) bool {
	for i := range earlier {
		if earlier[i].Alias == alias {
			return true
		}
	}
	return false
}
