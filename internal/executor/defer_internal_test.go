package executor

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// format prints a document the way the tests compare them.
func format(doc *ast.QueryDocument) string {
	var sb strings.Builder
	formatter.NewFormatter(&sb).FormatQueryDocument(doc)
	return sb.String()
}

func parse(t *testing.T, q string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	require.NoError(t, err)
	// The validator links spreads to their definitions; do it by hand.
	var link func(ast.SelectionSet)
	link = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				link(s.SelectionSet)
			case *ast.InlineFragment:
				link(s.SelectionSet)
			case *ast.FragmentSpread:
				s.Definition = doc.Fragments.ForName(s.Name)
			}
		}
	}
	for _, op := range doc.Operations {
		link(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		link(f.SelectionSet)
	}
	return doc
}

// TestInlineDeferCopiesTheDocument: the operation runs on a copy without
// @defer (other directives kept, spreads pointing at the copied
// fragments); the parsed document, shared through the query cache, is
// unchanged; an operation without @defer is left as it is.
func TestInlineDeferCopiesTheDocument(t *testing.T) {
	const q = `query Q { a { b ... @defer(label: "x") @include(if: true) { c } ...F @defer } } fragment F on A { d ... @defer { e } }`
	doc := parse(t, q)
	before := format(doc)
	rc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0]}
	require.Nil(t, inlineDefer{}.MutateOperationContext(context.Background(), rc))

	assert.Equal(t, before, format(doc), "the shared document is unchanged")
	got := format(rc.Doc)
	assert.NotContains(t, got, "@defer")
	assert.Contains(t, got, "@include(if: true)")
	assert.Same(t, rc.Operation, rc.Doc.Operations[0])
	spread := rc.Operation.SelectionSet[0].(*ast.Field).SelectionSet[2].(*ast.FragmentSpread)
	assert.Same(t, rc.Doc.Fragments.ForName("F"), spread.Definition, "the spread points at the copied fragment")
	assert.NotSame(t, doc.Fragments.ForName("F"), spread.Definition)

	plain := parse(t, `{ a { b ...F } } fragment F on A { d }`)
	rc = &graphql.OperationContext{Doc: plain, Operation: plain.Operations[0]}
	require.Nil(t, inlineDefer{}.MutateOperationContext(context.Background(), rc))
	assert.Same(t, plain, rc.Doc, "nothing deferred: nothing copied")
}
