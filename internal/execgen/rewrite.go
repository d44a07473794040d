package main

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"slices"

	"golang.org/x/tools/go/ast/astutil"
)

// inlinePkg is the package of the helpers the rewritten executor calls.
const inlinePkg = "github.com/tanma-gql/gateway/internal/execgen/inline"

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// rewrite applies the plugin's decisions to a generated executor, each a
// call of gqlgen's runtime replaced by the inline package's equivalent:
//
//   - the named list marshalers call inline.MarshalSlice (same signature
//     and result, on the caller's goroutine) instead of
//     graphql.MarshalSliceConcurrently. Every named function must exist and
//     make exactly one such call: otherwise gqlgen's templates have changed
//     and generation fails rather than silently keeping the goroutines.
//   - every object marshaler builds its @defer group with
//     inline.DeferredGroup(ctx, fields), which does gqlgen's work only when
//     one of the object's collected fields is deferred, instead of
//     graphql.NewDeferredGroup(ctx), which computes the object's response
//     path (allocating it) for every object of every response.
func rewrite(src []byte, lists map[string]bool) ([]byte, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "generated.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	offset := func(p token.Pos) int { return fset.Position(p).Offset }
	var edits []edit
	found := map[string]int{}
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			switch {
			case lists[fn.Name.Name] && isGraphQLCall(call, "MarshalSliceConcurrently"):
				edits = append(edits, edit{offset(call.Fun.Pos()), offset(call.Fun.End()), "inline.MarshalSlice"})
				found[fn.Name.Name]++
			case isGraphQLCall(call, "NewDeferredGroup"):
				if !collectsFields(fn) || len(call.Args) != 1 || !isIdent(call.Args[0], "ctx") {
					err = fmt.Errorf("execgen: %s builds a deferred group without collected fields (did gqlgen's templates change?)", fn.Name.Name)
					return false
				}
				edits = append(edits, edit{offset(call.Pos()), offset(call.End()), "inline.DeferredGroup(ctx, fields)"})
			}
			return true
		})
	}
	if err != nil {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(lists)) {
		if found[name] != 1 {
			return nil, fmt.Errorf("execgen: %s makes %d calls of graphql.MarshalSliceConcurrently, want 1 (did gqlgen's templates change?)",
				name, found[name])
		}
	}
	if len(edits) == 0 {
		return src, nil
	}
	return apply(src, edits)
}

// apply makes the edits, adds the inline import and formats the result.
func apply(src []byte, edits []edit) ([]byte, error) {
	slices.SortFunc(edits, func(a, b edit) int { return cmp.Compare(a.start, b.start) })
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		out.Write(src[last:e.start])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(src[last:])
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "generated.go", out.Bytes(), parser.ParseComments)
	if err != nil {
		return nil, err
	}
	astutil.AddImport(fset, file, inlinePkg)
	var b bytes.Buffer
	if err := format.Node(&b, fset, file); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// isGraphQLCall: call is graphql.<name>(...).
func isGraphQLCall(call *ast.CallExpr, name string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name && isIdent(sel.X, "graphql")
}

// collectsFields: fn declares `fields := graphql.CollectFields(...)`, the
// object's collected fields.
func collectsFields(fn *ast.FuncDecl) bool {
	for _, st := range fn.Body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !isIdent(as.Lhs[0], "fields") {
			continue
		}
		if call, ok := as.Rhs[0].(*ast.CallExpr); ok && isGraphQLCall(call, "CollectFields") {
			return true
		}
	}
	return false
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
