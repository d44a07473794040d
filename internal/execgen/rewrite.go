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
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// marshalPkg is the package of the helpers the rewritten executor calls.
const marshalPkg = "github.com/tanma-gql/gateway/internal/marshal"

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// rewrite applies the plugin's decisions to a generated executor, each a
// call of gqlgen's runtime replaced by internal/marshal's equivalent:
//
//   - the named list marshalers call marshal.Slice (same signature
//     and result, on the caller's goroutine) instead of
//     graphql.MarshalSliceConcurrently. Every named function must exist and
//     make exactly one such call: otherwise gqlgen's templates have changed
//     and generation fails rather than silently keeping the goroutines.
//   - in each object marshaler, the named plain leaves ("Object.field") are
//     marshaled directly: `out.Values[i] = ec._Object_field(ctx, field,
//     obj)`, which runs gqlgen's ResolveField, becomes the marshal call
//     that ResolveField would end with, `ec.marshalX(ctx, field.Selections,
//     obj.Field)`, read from the field's generated function. A named leaf
//     whose generated code has another shape fails generation.
//   - every object marshaler returns marshal.Object(fields, out.Values)
//     instead of its graphql.FieldSet `out`, which writes the same JSON
//     without a map of written aliases and a copy of every field.
//   - every object marshaler builds its @defer group with
//     marshal.DeferredGroup(ctx, fields), which does gqlgen's work only when
//     one of the object's collected fields is deferred, instead of
//     graphql.NewDeferredGroup(ctx), which computes the object's response
//     path (allocating it) for every object of every response.
func rewrite(src []byte, lists, leaves map[string]bool) ([]byte, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "generated.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	offset := func(p token.Pos) int { return fset.Position(p).Offset }
	text := func(n ast.Node) string { return string(src[offset(n.Pos()):offset(n.End())]) }
	funcs := map[string]*ast.FuncDecl{}
	for _, decl := range file.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok {
			funcs[fn.Name.Name] = fn
		}
	}
	var edits []edit
	found := map[string]int{}
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if err != nil {
				return false
			}
			if cc, ok := n.(*ast.CaseClause); ok {
				if name, call := leafCase(fn, cc); leaves[name] {
					var direct string
					if direct, err = directMarshal(funcs[call], text); err != nil {
						err = fmt.Errorf("execgen: %s: %w (did gqlgen's templates change?)", name, err)
						return false
					}
					edits = append(edits, edit{offset(cc.Body[0].(*ast.AssignStmt).Rhs[0].Pos()),
						offset(cc.Body[0].(*ast.AssignStmt).Rhs[0].End()), direct})
					found[name]++
				}
				return true
			}
			if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) == 1 && isIdent(ret.Results[0], "out") {
				if !collectsFields(fn) || !assigns(fn, "out", "NewFieldSet") {
					err = fmt.Errorf("execgen: %s returns an out that is not the field set of its collected fields (did gqlgen's templates change?)", fn.Name.Name)
					return false
				}
				edits = append(edits, edit{offset(ret.Results[0].Pos()), offset(ret.Results[0].End()), "marshal.Object(fields, out.Values)"})
				return true
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			switch {
			case lists[fn.Name.Name] && isGraphQLCall(call, "MarshalSliceConcurrently"):
				edits = append(edits, edit{offset(call.Fun.Pos()), offset(call.Fun.End()), "marshal.Slice"})
				found[fn.Name.Name]++
			case isGraphQLCall(call, "NewDeferredGroup"):
				if !collectsFields(fn) || len(call.Args) != 1 || !isIdent(call.Args[0], "ctx") {
					err = fmt.Errorf("execgen: %s builds a deferred group without collected fields (did gqlgen's templates change?)", fn.Name.Name)
					return false
				}
				edits = append(edits, edit{offset(call.Pos()), offset(call.End()), "marshal.DeferredGroup(ctx, fields)"})
			}
			return true
		})
	}
	if err != nil {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(leaves)) {
		if found[name] != 1 {
			return nil, fmt.Errorf("execgen: %s is resolved %d times in its object's marshaler, want 1 (did gqlgen's templates change?)",
				name, found[name])
		}
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

// apply makes the edits, adds the marshal import and formats the result.
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
	astutil.AddImport(fset, file, marshalPkg)
	var b bytes.Buffer
	if err := format.Node(&b, fset, file); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// leafCase reads a case of an object marshaler's field switch of the form
//
//	case "field":
//		out.Values[i] = ec._Object_field(ctx, field, obj)
//
// in func _Object, and returns "Object.field" and the called function's
// name ("" when the case has another form).
func leafCase(fn *ast.FuncDecl, cc *ast.CaseClause) (name, called string) {
	object, ok := strings.CutPrefix(fn.Name.Name, "_")
	if !ok || len(cc.List) != 1 || len(cc.Body) == 0 {
		return "", ""
	}
	lit, ok := cc.List[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", ""
	}
	field, err := strconv.Unquote(lit.Value)
	if err != nil {
		return "", ""
	}
	as, ok := cc.Body[0].(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 {
		return "", ""
	}
	call, ok := as.Rhs[0].(*ast.CallExpr)
	if !ok {
		return "", ""
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || !isIdent(sel.X, "ec") || sel.Sel.Name != "_"+object+"_"+field {
		return "", ""
	}
	return object + "." + field, sel.Sel.Name
}

// directMarshal reads a field function of the form
//
//	return graphql.ResolveField(ctx, ec.OperationContext, field, <field context>,
//		func(ctx context.Context) (any, error) { return obj.Field, nil },
//		nil,
//		func(ctx context.Context, selections ast.SelectionSet, v T) graphql.Marshaler {
//			return ec.marshalX(ctx, selections, v)
//		}, ...)
//
// and returns the call it ends with: ec.marshalX(ctx, field.Selections,
// obj.Field).
func directMarshal(fn *ast.FuncDecl, text func(ast.Node) string) (string, error) {
	if fn == nil || len(fn.Body.List) != 1 {
		return "", fmt.Errorf("no field function of one statement")
	}
	ret, ok := fn.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return "", fmt.Errorf("the field function does not return one value")
	}
	call, ok := ret.Results[0].(*ast.CallExpr)
	if !ok || !isGraphQLCall(call, "ResolveField") || len(call.Args) != 9 || !isIdent(call.Args[5], "nil") {
		return "", fmt.Errorf("the field function is not a graphql.ResolveField without middleware")
	}
	value := returned(call.Args[4])
	if len(value) != 2 || !isIdent(value[1], "nil") {
		return "", fmt.Errorf("the field's resolver does not return a value and nil")
	}
	read, ok := value[0].(*ast.SelectorExpr)
	if !ok || !isIdent(read.X, "obj") {
		return "", fmt.Errorf("the field's resolver does not read a field of obj")
	}
	marshal := returned(call.Args[6])
	if len(marshal) != 1 {
		return "", fmt.Errorf("the field's marshaler does not return one value")
	}
	m, ok := marshal[0].(*ast.CallExpr)
	if !ok || len(m.Args) != 3 || !isIdent(m.Args[0], "ctx") || !isIdent(m.Args[1], "selections") || !isIdent(m.Args[2], "v") {
		return "", fmt.Errorf("the field's marshaler is not a marshal call of (ctx, selections, v)")
	}
	mf, ok := m.Fun.(*ast.SelectorExpr)
	if !ok || !isIdent(mf.X, "ec") || !strings.HasPrefix(mf.Sel.Name, "marshal") {
		return "", fmt.Errorf("the field's marshaler does not call a generated marshal function")
	}
	return "ec." + mf.Sel.Name + "(ctx, field.Selections, " + text(read) + ")", nil
}

// returned is what a function literal of one return statement returns.
func returned(e ast.Expr) []ast.Expr {
	lit, ok := e.(*ast.FuncLit)
	if !ok || len(lit.Body.List) != 1 {
		return nil
	}
	ret, ok := lit.Body.List[0].(*ast.ReturnStmt)
	if !ok {
		return nil
	}
	return ret.Results
}

// isGraphQLCall: call is graphql.<name>(...).
func isGraphQLCall(call *ast.CallExpr, name string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name && isIdent(sel.X, "graphql")
}

// collectsFields: fn declares `fields := graphql.CollectFields(...)`, the
// object's collected fields.
func collectsFields(fn *ast.FuncDecl) bool { return assigns(fn, "fields", "CollectFields") }

// assigns: fn's body declares `name := graphql.<call>(...)`.
func assigns(fn *ast.FuncDecl, name, call string) bool {
	for _, st := range fn.Body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !isIdent(as.Lhs[0], name) {
			continue
		}
		if c, ok := as.Rhs[0].(*ast.CallExpr); ok && isGraphQLCall(c, call) {
			return true
		}
	}
	return false
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
