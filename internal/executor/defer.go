package executor

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// inlineDefer resolves @defer'd fragments with the rest of the operation
// unless the operation is a query whose client accepts multipart/mixed
// (incremental): the transport then delivers them in later parts
// (streamIncremental). Every other answer is one JSON document, in which
// gqlgen would leave a deferred field null, with hasNext: true and no later
// part: the data would be lost. The incremental delivery proposal lets a
// server deliver deferred data in the initial response, so the operation
// runs as if the fragments carried no @defer, on a copy of its document
// (the parsed document is shared through the query cache and must not
// change). An operation without @defer, the usual case, is left as it is.
type inlineDefer struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = inlineDefer{}

func (inlineDefer) ExtensionName() string                   { return "InlineDefer" }
func (inlineDefer) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext replaces an operation that defers anything (and
// its fragments) with a copy without @defer, unless its deferred parts may
// be delivered later.
func (inlineDefer) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if rc.Operation == nil || rc.Doc == nil || !defers(rc.Doc) {
		return nil
	}
	if incremental(ctx) && rc.Operation.Operation == ast.Query {
		return nil // delivered in parts (streamIncremental)
	}
	c := undeferrer{fragments: map[*ast.FragmentDefinition]*ast.FragmentDefinition{}}
	doc := &ast.QueryDocument{Position: rc.Doc.Position, Comment: rc.Doc.Comment}
	for _, f := range rc.Doc.Fragments {
		doc.Fragments = append(doc.Fragments, c.fragment(f))
	}
	op := *rc.Operation
	op.SelectionSet = c.set(op.SelectionSet)
	doc.Operations = ast.OperationList{&op}
	rc.Doc, rc.Operation = doc, &op
	return nil
}

// defers reports whether a fragment of doc carries @defer.
func defers(doc *ast.QueryDocument) bool {
	for _, op := range doc.Operations {
		if defersIn(op.SelectionSet) {
			return true
		}
	}
	for _, f := range doc.Fragments {
		if defersIn(f.SelectionSet) {
			return true
		}
	}
	return false
}

func defersIn(set ast.SelectionSet) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if defersIn(s.SelectionSet) {
				return true
			}
		case *ast.InlineFragment:
			if s.Directives.ForName("defer") != nil || defersIn(s.SelectionSet) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Directives.ForName("defer") != nil {
				return true
			}
		}
	}
	return false
}

// undeferrer copies selection sets without @defer; each fragment
// definition is copied once, and spreads point to the copies.
type undeferrer struct {
	fragments map[*ast.FragmentDefinition]*ast.FragmentDefinition
}

func (c undeferrer) fragment(f *ast.FragmentDefinition) *ast.FragmentDefinition {
	if f == nil {
		return nil
	}
	if cp, ok := c.fragments[f]; ok {
		return cp
	}
	cp := *f
	c.fragments[f] = &cp
	cp.SelectionSet = c.set(f.SelectionSet)
	return &cp
}

func (c undeferrer) set(set ast.SelectionSet) ast.SelectionSet {
	if set == nil {
		return nil
	}
	out := make(ast.SelectionSet, len(set))
	for i, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			cp := *s
			cp.SelectionSet = c.set(s.SelectionSet)
			out[i] = &cp
		case *ast.InlineFragment:
			cp := *s
			cp.Directives = withoutDefer(s.Directives)
			cp.SelectionSet = c.set(s.SelectionSet)
			out[i] = &cp
		case *ast.FragmentSpread:
			cp := *s
			cp.Directives = withoutDefer(s.Directives)
			cp.Definition = c.fragment(s.Definition)
			out[i] = &cp
		default:
			out[i] = sel
		}
	}
	return out
}

func withoutDefer(list ast.DirectiveList) ast.DirectiveList {
	if list.ForName("defer") == nil {
		return list
	}
	out := make(ast.DirectiveList, 0, len(list)-1)
	for _, d := range list {
		if d.Name != "defer" {
			out = append(out, d)
		}
	}
	return out
}
