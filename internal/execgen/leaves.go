package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// plainLeaves marshals each named leaf ("Object.field") directly: in its
// object's marshaler, `out.Values[i] = ec._Object_field(ctx, field, obj)`,
// which runs gqlgen's ResolveField, becomes the marshal call ResolveField
// would end with, `ec.marshalX(ctx, field.Selections, obj.Field)`, read
// from the field's generated function. Each leaf must have exactly one
// such case, and its field function the shape directMarshal reads.
func (r *rewriter) plainLeaves(leaves, enums map[string]bool) error {
	for _, name := range sorted(leaves) {
		object, _, _ := strings.Cut(name, ".")
		var cases []*ast.CaseClause
		var called string
		if fn := r.funcs["_"+object]; fn != nil {
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if cc, ok := n.(*ast.CaseClause); ok {
					if leaf, call := leafCase(fn, cc); leaf == name {
						cases, called = append(cases, cc), call
					}
				}
				return true
			})
		}
		if len(cases) != 1 {
			return &shapeError{plainLeafRewrite, name, fmt.Sprintf("is resolved %d times in its object's marshaler, want 1", len(cases))}
		}
		marshalFn, read, err := directMarshal(r.funcs[called], r.text)
		if err != nil {
			return &shapeError{plainLeafRewrite, name, err.Error()}
		}
		r.replace(cases[0].Body[0].(*ast.AssignStmt).Rhs[0], r.leafWriter(marshalFn, read, enums))
	}
	return nil
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
// and returns the marshal function it ends with (marshalX) and the field
// it reads (obj.Field).
func directMarshal(fn *ast.FuncDecl, text func(ast.Node) string) (marshalFn, read string, err error) {
	if fn == nil || len(fn.Body.List) != 1 {
		return "", "", fmt.Errorf("no field function of one statement")
	}
	ret, ok := fn.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return "", "", fmt.Errorf("the field function does not return one value")
	}
	call, ok := ret.Results[0].(*ast.CallExpr)
	if !ok || !isGraphQLCall(call, "ResolveField") || len(call.Args) != 9 || !isIdent(call.Args[5], "nil") {
		return "", "", fmt.Errorf("the field function is not a graphql.ResolveField without middleware")
	}
	value := returned(call.Args[4])
	if len(value) != 2 || !isIdent(value[1], "nil") {
		return "", "", fmt.Errorf("the field's resolver does not return a value and nil")
	}
	field, ok := value[0].(*ast.SelectorExpr)
	if !ok || !isIdent(field.X, "obj") {
		return "", "", fmt.Errorf("the field's resolver does not read a field of obj")
	}
	marshal := returned(call.Args[6])
	if len(marshal) != 1 {
		return "", "", fmt.Errorf("the field's marshaler does not return one value")
	}
	m, ok := marshal[0].(*ast.CallExpr)
	if !ok || len(m.Args) != 3 || !isIdent(m.Args[0], "ctx") || !isIdent(m.Args[1], "selections") || !isIdent(m.Args[2], "v") {
		return "", "", fmt.Errorf("the field's marshaler is not a marshal call of (ctx, selections, v)")
	}
	mf, ok := m.Fun.(*ast.SelectorExpr)
	if !ok || !isIdent(mf.X, "ec") || !strings.HasPrefix(mf.Sel.Name, "marshal") {
		return "", "", fmt.Errorf("the field's marshaler does not call a generated marshal function")
	}
	return mf.Sel.Name, text(field), nil
}

// scalarWriters are the internal/marshal writers of gqlgen's scalar marshal
// functions, each writing what the function writes without a closure per
// value: %s is the field read (obj.Field), & its address.
var scalarWriters = map[string]string{
	"marshalNString2string":  "marshal.String(&%s)",
	"marshalNID2string":      "marshal.String(&%s)",
	"marshalOString2ᚖstring": "marshal.OptString(%s)",
	"marshalOID2ᚖstring":     "marshal.OptString(%s)",
	"marshalNInt2int":        "marshal.Int(&%s)",
	"marshalOInt2ᚖint":       "marshal.OptInt(%s)",
	"marshalNBoolean2bool":   "marshal.Bool(%s)",
	"marshalOBoolean2ᚖbool":  "marshal.OptBool(%s)",
}

// leafWriter is what a plain leaf's case assigns: an internal/marshal
// writer for a scalar gqlgen marshals with a closure (scalarWriters) or an
// enum (a generated marshal function that returns its value, or nil for
// null: see enumMarshal), else the marshal call itself,
// ec.marshalX(ctx, field.Selections, obj.Field).
func (r *rewriter) leafWriter(marshalFn, read string, enums map[string]bool) string {
	if w, ok := scalarWriters[marshalFn]; ok {
		return fmt.Sprintf(w, read)
	}
	switch enumMarshal(r.funcs[marshalFn], enums) {
	case enumValue:
		return "marshal.Enum(&" + read + ")"
	case enumPointer:
		return "marshal.OptEnum(" + read + ")"
	}
	return "ec." + marshalFn + "(ctx, field.Selections, " + read + ")"
}

// The shapes of a generated enum marshal function.
const (
	notEnum = iota
	enumValue
	enumPointer
)

// enumMarshal tells the marshal function of an enum (one of enums): one of
// a model enum value that returns it (`return v`), or of a pointer to one
// that returns null for nil and the pointer's value otherwise (`if v ==
// nil { return graphql.Null }; return v`). Anything else, a custom scalar
// shaped alike included, is notEnum.
func enumMarshal(fn *ast.FuncDecl, enums map[string]bool) int {
	if fn == nil || len(fn.Type.Params.List) != 3 {
		return notEnum
	}
	typ := fn.Type.Params.List[2].Type
	pointer := false
	if star, ok := typ.(*ast.StarExpr); ok {
		typ, pointer = star.X, true
	}
	if sel, ok := typ.(*ast.SelectorExpr); !ok || !isIdent(sel.X, "model") || !enums[sel.Sel.Name] {
		return notEnum
	}
	body := fn.Body.List
	returnsV := func(s ast.Stmt) bool {
		ret, ok := s.(*ast.ReturnStmt)
		return ok && len(ret.Results) == 1 && isIdent(ret.Results[0], "v")
	}
	switch {
	case !pointer && len(body) == 1 && returnsV(body[0]):
		return enumValue
	case pointer && len(body) == 2 && returnsNullForNil(body[0]) && returnsV(body[1]):
		return enumPointer
	}
	return notEnum
}

// returnsNullForNil: `if v == nil { return graphql.Null }`.
func returnsNullForNil(s ast.Stmt) bool {
	is, ok := s.(*ast.IfStmt)
	if !ok || is.Init != nil || is.Else != nil || len(is.Body.List) != 1 {
		return false
	}
	cond, ok := is.Cond.(*ast.BinaryExpr)
	if !ok || cond.Op != token.EQL || !isIdent(cond.X, "v") || !isIdent(cond.Y, "nil") {
		return false
	}
	ret, ok := is.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return false
	}
	sel, ok := ret.Results[0].(*ast.SelectorExpr)
	return ok && isIdent(sel.X, "graphql") && sel.Sel.Name == "Null"
}

// leafLists makes each named list marshaler of scalars (list marshal
// function -> its element's marshal function, one of scalarWriters)
// write its elements with the element's internal/marshal writer of v[i]
// instead of gqlgen's marshaler (a closure per element). Each must
// marshal its elements exactly once, `ret[i] = ec.<element>(ctx, sel, v[i])`.
func (r *rewriter) leafLists(lists map[string]string) error {
	for _, name := range slices.Sorted(maps.Keys(lists)) {
		fn, element := r.funcs[name], lists[name]
		if fn == nil {
			return &shapeError{leafListRewrite, name, "no such list marshaler"}
		}
		var calls []*ast.CallExpr
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && marshalsElement(call, element) {
				calls = append(calls, call)
			}
			return true
		})
		if len(calls) != 1 {
			return &shapeError{leafListRewrite, name, fmt.Sprintf("marshals its elements %d times with ec.%s(ctx, sel, v[i]), want 1", len(calls), element)}
		}
		r.replace(calls[0], fmt.Sprintf(scalarWriters[element], "v[i]"))
	}
	return nil
}

// marshalsElement: call is ec.<element>(ctx, sel, v[i]).
func marshalsElement(call *ast.CallExpr, element string) bool {
	fun, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || !isIdent(fun.X, "ec") || fun.Sel.Name != element || len(call.Args) != 3 ||
		!isIdent(call.Args[0], "ctx") || !isIdent(call.Args[1], "sel") {
		return false
	}
	index, ok := call.Args[2].(*ast.IndexExpr)
	return ok && isIdent(index.X, "v") && isIdent(index.Index, "i")
}
