package marshal_test

import (
	"bytes"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/internal/marshal"
)

// TestObjectWritesWhatFieldSetWrites: the same bytes as gqlgen's
// FieldSet for the same fields and values, including a repeated alias (two
// interfaces' fragments selecting the same field), written once.
func TestObjectWritesWhatFieldSetWrites(t *testing.T) {
	t.Parallel()
	field := func(alias string) graphql.CollectedField {
		return graphql.CollectedField{Field: &ast.Field{Name: alias, Alias: alias}}
	}
	for _, fields := range [][]graphql.CollectedField{
		nil,
		{field("id")},
		{field("id"), field("name"), field("tags")},
		{field("id"), field("name"), field("id")},
	} {
		values := make([]graphql.Marshaler, len(fields))
		for i := range values {
			values[i] = graphql.MarshalInt(i)
		}
		values = append(values[:0:0], values...)
		fs := graphql.NewFieldSet(fields)
		copy(fs.Values, values)
		var want, got bytes.Buffer
		fs.MarshalGQL(&want)
		marshal.Object(fields, values).MarshalGQL(&got)
		assert.Equal(t, want.String(), got.String())
	}
}
