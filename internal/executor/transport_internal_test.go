package executor

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestWriteResponseIsEncodingJSONs: the hand-written response is byte for
// byte what encoding/json writes (gqlgen's transport), for every part a
// response can have; only the data is not re-compacted, and gqlgen's
// marshalers write it compact already.
func TestWriteResponseIsEncodingJSONs(t *testing.T) {
	t.Parallel()
	hasNext := true
	for _, tc := range []struct {
		name string
		resp graphql.Response
	}{
		{"data", graphql.Response{Data: json.RawMessage(`{"customers":{"edges":[{"node":{"name":"张三","tags":[]}}]}}`)}},
		{"no data", graphql.Response{}},
		{"errors and data", graphql.Response{
			Errors: gqlerror.List{{Message: "no tag library", Path: ast.Path{ast.PathName("customers"), ast.PathIndex(0)},
				Extensions: map[string]any{"code": "UPSTREAM_ERROR", "requestId": "r-1"}}},
			Data: json.RawMessage(`{"customers":null}`)}},
		{"a request error", graphql.Response{Errors: gqlerror.List{{Message: "cannot query <field>",
			Locations: []gqlerror.Location{{Line: 1, Column: 3}}}}}},
		{"incremental parts", graphql.Response{Data: json.RawMessage(`{"a":1}`), Label: "later", HasNext: &hasNext,
			Path: ast.Path{ast.PathName("node")}}},
		{"extensions", graphql.Response{Data: json.RawMessage(`{}`), Extensions: map[string]any{"cost": 12, "b": []int{1}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want, err := json.Marshal(&tc.resp)
			assert.NoError(t, err)
			var got bytes.Buffer
			writeResponse(&got, &tc.resp)
			assert.Equal(t, string(want), got.String())
		})
	}
}

func TestAcceptsGraphQLResponse(t *testing.T) {
	t.Parallel()
	for accept, want := range map[string]bool{
		"":                                  false,
		"*/*":                               false,
		"application/json":                  false,
		"application/graphql-response+json": true,
		"application/graphql-response+json, application/json;q=0.9": true,
		"application/json, application/graphql-response+json":       false,
		"text/html":                true,
		"text/html, application/*": false,
	} {
		assert.Equal(t, want, acceptsGraphQLResponse(accept), "Accept: %q", accept)
	}
}
