package executor

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// fieldCap refuses, before gqlgen parses and validates them, documents
// with too many field selections, or with too many selections at one place
// (repeats.go). Validation must come after it: gqlparser's
// overlapping-fields rule compares every pair of same-named fields, so a
// document of fifteen thousand copies of one field (well under the token
// limit) costs seconds of CPU before any limit that runs after validation.
// A document in gqlgen's query cache passed all this before: it is not
// parsed again.
type fieldCap struct {
	maxFields, maxTokens int
	checked              func(query string) bool // the query cache holds it
}

var (
	_ graphql.HandlerExtension          = fieldCap{}
	_ graphql.OperationParameterMutator = fieldCap{}
)

func (fieldCap) ExtensionName() string                   { return "FieldCap" }
func (fieldCap) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters counts the document's field selections, with
// every fragment counted as often as it is spread (a fragment no operation
// spreads is validated all the same: it counts once), then the selections
// at each place.
func (f fieldCap) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	if f.checked(p.Query) {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, f.maxTokens)
	if err != nil {
		return nil // gqlgen's own parse reports it
	}
	c := fieldCounter{defs: fragmentsByName(doc), max: f.maxFields, fragments: map[string]int{}}
	n := 0
	for _, op := range doc.Operations {
		n = c.add(n, c.count(op.SelectionSet))
	}
	for _, def := range doc.Fragments {
		if _, counted := c.fragments[def.Name]; !counted {
			n = c.add(n, c.fragment(def.Name))
		} else if c.defs[def.Name] != def {
			n = c.add(n, c.count(def.SelectionSet)) // a second fragment of that name
		}
	}
	if n > f.maxFields {
		return limitError("fields", n, f.maxFields)
	}
	return checkRepeats(doc, c.defs)
}

// fragmentsByName indexes a document's fragments by name (the first of
// duplicate names, as gqlparser does).
func fragmentsByName(doc *ast.QueryDocument) map[string]*ast.FragmentDefinition {
	defs := make(map[string]*ast.FragmentDefinition, len(doc.Fragments))
	for _, f := range doc.Fragments {
		if _, ok := defs[f.Name]; !ok {
			defs[f.Name] = f
		}
	}
	return defs
}

// fieldCounter counts selections, saturating just past max so a fragment
// spread inside a fragment spread cannot overflow.
type fieldCounter struct {
	defs      map[string]*ast.FragmentDefinition
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
	def := c.defs[name]
	if def == nil {
		return 0
	}
	c.fragments[name] = -1
	n := c.count(def.SelectionSet)
	c.fragments[name] = n
	return n
}
