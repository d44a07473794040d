package marshal

import "github.com/99designs/gqlgen/graphql"

// FieldSet is an object's field set and the writer of the object in one
// allocation: gqlgen's graphql.NewFieldSet makes two (the set and its
// values) and the object writer a third, for every object of a response.
// Objects of up to inlineFields fields keep their values inside it.
type FieldSet struct {
	graphql.FieldSet
	object object
	inline [inlineFields]graphql.Marshaler
}

// inlineFields is how many field values a FieldSet holds without another
// allocation: most objects select fewer (a typed field, an option, a tag).
const inlineFields = 8

// NewFieldSet is graphql.NewFieldSet for the generated executor's object
// marshalers.
func NewFieldSet(fields []graphql.CollectedField) *FieldSet {
	s := &FieldSet{}
	if len(fields) <= inlineFields {
		s.Values = s.inline[:len(fields)]
	} else {
		s.Values = make([]graphql.Marshaler, len(fields))
	}
	s.object.fields = fields
	return s
}

// Object is the object's marshaler (see Object): it writes the values
// the executor computed.
func (s *FieldSet) Object() graphql.Marshaler {
	s.object.values = s.Values
	return &s.object
}
