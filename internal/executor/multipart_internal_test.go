package executor

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestAcceptsIncremental: multipart/mixed in Accept, as Apollo Client and
// urql send it, asks for parts; q=0, another deferSpec, a later format
// (incrementalSpec, incrementalDeliverySpec) or no multipart does not.
func TestAcceptsIncremental(t *testing.T) {
	t.Parallel()
	for accept, want := range map[string]bool{
		"multipart/mixed;deferSpec=20220824,application/json":                                            true,
		"multipart/mixed; deferSpec=20220824, application/json":                                          true,
		"multipart/mixed, application/graphql-response+json, application/graphql+json, application/json": true,
		"application/json, multipart/mixed;q=0.5":                                                        true,
		"":                                      false,
		"*/*":                                   false,
		"application/json":                      false,
		"multipart/*":                           false,
		"multipart/mixed;q=0, application/json": false,
		"multipart/mixed;deferSpec=20230621":    false,
		"multipart/mixed;incrementalSpec=v0.2, application/json": false,
		"multipart/mixed; incrementalDeliverySpec=3283f8a":       false,
		"multipart/form-data, application/json":                  false,
		"multipart/mixed;q=nope":                                 false,
		"application/graphql-response+json;q=1,text":             false,
	} {
		assert.Equal(t, want, acceptsIncremental(accept), "Accept: %q", accept)
	}
}

// TestMultipartAnswer: the parts as Apollo Client and urql read them: the
// first delimiter, each part's header and JSON followed at once by the
// next delimiter, the incremental entries without their own hasNext, the
// closing delimiter after the last; a well-formed multipart body.
func TestMultipartAnswer(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	var b bytes.Buffer
	flushes := 0
	p := partWriter{w: &b, flush: func() error { flushes++; return nil }}
	require.NoError(t, p.initial(&graphql.Response{Data: json.RawMessage(`{"a":{"b":null}}`), HasNext: &yes}))
	require.NoError(t, p.incremental([]*graphql.Response{
		{Data: json.RawMessage(`{"b":1}`), Path: ast.Path{ast.PathName("a")}, Label: "x", HasNext: &yes},
		{Data: json.RawMessage(`{"c":null}`), Path: ast.Path{ast.PathName("a"), ast.PathIndex(0)}, HasNext: &no,
			Errors: gqlerror.List{{Message: "failed", Path: ast.Path{ast.PathName("a"), ast.PathIndex(0), ast.PathName("c")}}}},
	}))
	const header = "Content-Type: application/json; charset=utf-8\r\n\r\n"
	want := "---\r\n" + header + `{"data":{"a":{"b":null}},"hasNext":true}` + "\r\n---\r\n" +
		header + `{"incremental":[{"data":{"b":1},"label":"x","path":["a"]},` +
		`{"errors":[{"message":"failed","path":["a",0,"c"]}],"data":{"c":null},"path":["a",0]}],"hasNext":false}` + "\r\n-----\r\n"
	assert.Equal(t, want, b.String())
	assert.Equal(t, 2, flushes, "each part is flushed")

	_, params, err := mime.ParseMediaType(multipartContentType)
	require.NoError(t, err)
	mr := multipart.NewReader(strings.NewReader(b.String()), params["boundary"])
	var parts []map[string]any
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		var v map[string]any
		require.NoError(t, json.NewDecoder(part).Decode(&v))
		parts = append(parts, v)
	}
	require.Len(t, parts, 2)
	assert.Equal(t, false, parts[1]["hasNext"])
}

// TestMultipartAnswerCut: an answer that ends before its last deferred
// part ends with a part that says why, hasNext false, and the closing
// delimiter.
func TestMultipartAnswerCut(t *testing.T) {
	t.Parallel()
	yes := true
	var b bytes.Buffer
	p := partWriter{w: &b, flush: func() error { return nil }}
	require.NoError(t, p.initial(&graphql.Response{Data: json.RawMessage(`{}`), HasNext: &yes}))
	require.NoError(t, p.end(&graphql.Response{Errors: gqlerror.List{{Message: "the request ran out of time"}}}))
	assert.True(t, strings.HasSuffix(b.String(), "\r\n---\r\nContent-Type: application/json; charset=utf-8\r\n\r\n"+
		`{"errors":[{"message":"the request ran out of time"}],"hasNext":false}`+"\r\n-----\r\n"), b.String())
}
