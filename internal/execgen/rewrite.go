package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"slices"

	"golang.org/x/tools/go/ast/astutil"
)

// inlinePkg is the package of the inline marshaler the rewritten lists call.
const inlinePkg = "github.com/tanma-gql/gateway/internal/execgen/inline"

// gqlgenSlice is gqlgen's marshaler of a list: a goroutine per element.
const gqlgenSlice = "MarshalSliceConcurrently"

// rewriteLists makes the named list marshalers of a generated executor call
// inline.MarshalSlice (same signature and result, on the caller's
// goroutine) instead of gqlgen's concurrent one. Every named function must
// exist and make exactly one such call: otherwise gqlgen's templates have
// changed and generation fails rather than silently keeping the goroutines.
func rewriteLists(src []byte, funcs map[string]bool) ([]byte, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "generated.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var spans []int // offsets of the selector expressions to replace
	found := map[string]int{}
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || !funcs[fn.Name.Name] {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == gqlgenSlice && isIdent(sel.X, "graphql") {
				spans = append(spans, fset.Position(sel.Pos()).Offset)
				found[fn.Name.Name]++
			}
			return true
		})
	}
	for _, name := range slices.Sorted(maps.Keys(funcs)) {
		if found[name] != 1 {
			return nil, fmt.Errorf("execgen: %s makes %d calls of graphql.%s, want 1 (did gqlgen's templates change?)",
				name, found[name], gqlgenSlice)
		}
	}
	var out bytes.Buffer
	last := 0
	old := "graphql." + gqlgenSlice
	for _, off := range spans { // in file order: declarations are visited in order
		out.Write(src[last:off])
		out.WriteString("inline.MarshalSlice")
		last = off + len(old)
	}
	out.Write(src[last:])

	fset = token.NewFileSet()
	file, err = parser.ParseFile(fset, "generated.go", out.Bytes(), parser.ParseComments)
	if err != nil {
		return nil, err
	}
	if len(spans) > 0 {
		astutil.AddImport(fset, file, inlinePkg)
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, file); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
