package executor

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// fieldCap refuses documents with too many field selections before gqlgen
// parses and validates them. Validation must come after it: gqlparser's
// overlapping-fields rule compares every pair of same-named fields, so a
// document of fifteen thousand copies of one field (well under the token
// limit) costs seconds of CPU before any limit that runs after validation.
type fieldCap struct{ maxFields, maxTokens int }

var (
	_ graphql.HandlerExtension          = fieldCap{}
	_ graphql.OperationParameterMutator = fieldCap{}
)

func (fieldCap) ExtensionName() string                   { return "FieldCap" }
func (fieldCap) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters counts the document's field selections, with
// every fragment counted as often as it is spread.
func (f fieldCap) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	if len(p.Query) < 2*f.maxFields && !strings.Contains(p.Query, "...") {
		// Every field takes at least two bytes: too short to be over. Not
		// so with fragments, where each spread counts its fragment's fields
		// again: a short document of fragments spreading the next one twice
		// stands for 2^n fields, and the limits that walk fragment by
		// fragment after this one would take minutes over it.
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, f.maxTokens)
	if err != nil {
		return nil // gqlgen's own parse reports it
	}
	c := fieldCounter{doc: doc, max: f.maxFields, fragments: map[string]int{}}
	n := 0
	for _, op := range doc.Operations {
		n = c.add(n, c.count(op.SelectionSet))
	}
	if n > f.maxFields {
		return limitError("fields", n, f.maxFields)
	}
	return nil
}

// fieldCounter counts selections, saturating just past max so a fragment
// spread inside a fragment spread cannot overflow.
type fieldCounter struct {
	doc       *ast.QueryDocument
	max       int
	fragments map[string]int // fields of each fragment, once counted (-1: being counted)
}

func (c *fieldCounter) add(a, b int) int { return min(a+b, c.max+1) }

func (c *fieldCounter) count(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			n = c.add(n, c.add(1, c.count(sel.SelectionSet)))
		case *ast.InlineFragment:
			n = c.add(n, c.count(sel.SelectionSet))
		case *ast.FragmentSpread:
			n = c.add(n, c.fragment(sel.Name))
		}
		if n > c.max {
			return n
		}
	}
	return n
}

func (c *fieldCounter) fragment(name string) int {
	if n, ok := c.fragments[name]; ok {
		return max(n, 0) // a cycle counts nothing more (validation rejects it)
	}
	def := c.doc.Fragments.ForName(name)
	if def == nil {
		return 0
	}
	c.fragments[name] = -1
	n := c.count(def.SelectionSet)
	c.fragments[name] = n
	return n
}
