package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// plainLeaves marshals each named leaf ("Object.field") directly: in its
// object's marshaler, `out.Values[i] = ec._Object_field(ctx, field, obj)`,
// which runs gqlgen's ResolveField, becomes the marshal call ResolveField
// would end with, `ec.marshalX(ctx, field.Selections, obj.Field)`, read
// from the field's generated function. Each leaf must have exactly one
// such case, and its field function the shape directMarshal reads.
func (r *rewriter) plainLeaves(leaves map[string]bool) error {
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
		direct, err := directMarshal(r.funcs[called], r.text)
		if err != nil {
			return &shapeError{plainLeafRewrite, name, err.Error()}
		}
		r.replace(cases[0].Body[0].(*ast.AssignStmt).Rhs[0], direct)
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
