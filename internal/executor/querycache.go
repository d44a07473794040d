package executor

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/internal/bytecache"
)

// Caches bounded by bytes, not by entries (internal/bytecache): a caller
// sending new documents could make gqlgen's count-bounded caches hold
// hundreds of megabytes (bench/README.md, "Attack runs"). Neither budget is
// a setting.
const (
	// queryCacheBytes bounds the parsed documents kept: README's dashboard
	// query weighs about 15 KB, so some thousand documents of its size fit,
	// and none over 1 MiB is kept.
	queryCacheBytes = 16 << 20
	// persistedQueryBytes bounds the automatic persisted queries kept in
	// this process (all callers together) when no other cache is given.
	persistedQueryBytes = 8 << 20
	// nodeBytes is what one node of a parsed and validated document holds
	// (field, argument, value, directive, fragment, variable), position
	// included: 210 to 230 bytes measured on the dashboard, introspection,
	// wide and long-argument documents; rounded up.
	nodeBytes = 256
)

func newQueryCache() *bytecache.Cache[*ast.QueryDocument] {
	return bytecache.New(queryCacheBytes, documentSize)
}

// documentSize estimates the memory a cached document holds: its source
// (its AST's positions keep all of it, and its string values point into
// it) and its nodes.
func documentSize(query string, doc *ast.QueryDocument) int {
	return len(query) + nodeBytes*countNodes(doc)
}

func countNodes(doc *ast.QueryDocument) int {
	n := 0
	var value func(*ast.Value)
	value = func(v *ast.Value) {
		if v != nil {
			n++
			for _, c := range v.Children {
				value(c.Value)
			}
		}
	}
	arguments := func(args ast.ArgumentList) {
		for _, a := range args {
			n++
			value(a.Value)
		}
	}
	directives := func(ds ast.DirectiveList) {
		for _, d := range ds {
			n++
			arguments(d.Arguments)
		}
	}
	var selections func(ast.SelectionSet)
	selections = func(set ast.SelectionSet) {
		for _, sel := range set {
			n++
			switch sel := sel.(type) {
			case *ast.Field:
				arguments(sel.Arguments)
				directives(sel.Directives)
				selections(sel.SelectionSet)
			case *ast.InlineFragment:
				directives(sel.Directives)
				selections(sel.SelectionSet)
			case *ast.FragmentSpread:
				directives(sel.Directives)
			}
		}
	}
	for _, op := range doc.Operations {
		n++
		for _, v := range op.VariableDefinitions {
			n += 2 // the definition and its type
			value(v.DefaultValue)
			directives(v.Directives)
		}
		directives(op.Directives)
		selections(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		n++
		directives(f.Directives)
		selections(f.SelectionSet)
	}
	return n
}
