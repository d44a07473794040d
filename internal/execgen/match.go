package main

import (
	"go/ast"
	"maps"
	"slices"
)

// What the rewrites match in gqlgen's generated code.

// isGraphQLCall: call is graphql.<name>(...).
func isGraphQLCall(call *ast.CallExpr, name string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name && isIdent(sel.X, "graphql")
}

// graphQLCalls are fn's calls of graphql.<name>, closures included.
func graphQLCalls(fn *ast.FuncDecl, name string) []*ast.CallExpr {
	var out []*ast.CallExpr
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && isGraphQLCall(call, name) {
			out = append(out, call)
		}
		return true
	})
	return out
}

// collectsFields: fn declares `fields := graphql.CollectFields(...)`, the
// object's collected fields.
func collectsFields(fn *ast.FuncDecl) bool { return assigns(fn, "fields", "CollectFields") }

// assigns: fn's body declares `name := graphql.<call>(...)`.
func assigns(fn *ast.FuncDecl, name, call string) bool { return assignment(fn, name, call) != nil }

// assignment is the call of fn's body's `name := graphql.<call>(...)`, nil
// when there is none.
func assignment(fn *ast.FuncDecl, name, call string) *ast.CallExpr {
	for _, st := range fn.Body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !isIdent(as.Lhs[0], name) {
			continue
		}
		if c, ok := as.Rhs[0].(*ast.CallExpr); ok && isGraphQLCall(c, call) {
			return c
		}
	}
	return nil
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

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// sorted is set's names in order, so that errors are reproducible.
func sorted(set map[string]bool) []string { return slices.Sorted(maps.Keys(set)) }
