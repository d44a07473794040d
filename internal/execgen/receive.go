package main

import (
	"fmt"
	"go/ast"
	"go/token"
)

// deferredReceives makes the query's response handler wait for its next
// deferred result with marshal.NextDeferred(ctx, ec.DeferredResults),
// which gives up when the handler's context ends, instead of receiving
// from ec.DeferredResults alone. gqlgen's deferred fragments give up
// sending their result when their context ends (the client went away, the
// request's deadline passed), so a handler already waiting would wait for
// good, and the request with it; the rewritten handler returns nil, the
// end of the responses.
//
// This is the one rewrite that changes more than speed: gqlgen's plain
// output keeps the wait that may never end (its own multipart transport
// has it too). An executor that has objects (every schema's) must receive
// from ec.DeferredResults exactly once, as `result := <-ec.DeferredResults`
// in a response handler func(ctx context.Context) *graphql.Response.
func (r *rewriter) deferredReceives(objects map[string]bool) error {
	type receive struct {
		stmt    *ast.AssignStmt // nil: the receive is not `result := <-...`
		handler bool            // in a func(ctx context.Context) *graphql.Response
		fn      string
	}
	var found []receive
	for _, fn := range r.bodies() {
		var stack []ast.Node
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.ARROW && isSelector(u.X, "ec", "DeferredResults") {
				rc := receive{fn: fn.Name.Name}
				if as, ok := stack[len(stack)-1].(*ast.AssignStmt); ok && as.Tok == token.DEFINE && len(as.Lhs) == 1 &&
					isIdent(as.Lhs[0], "result") && len(as.Rhs) == 1 && as.Rhs[0] == u {
					rc.stmt = as
				}
				for i := len(stack) - 1; i >= 0; i-- {
					if lit, ok := stack[i].(*ast.FuncLit); ok {
						rc.handler = isResponseHandler(lit.Type)
						break
					}
				}
				found = append(found, rc)
			}
			stack = append(stack, n)
			return true
		})
	}
	if len(objects) == 0 && len(found) == 0 {
		return nil
	}
	if len(found) != 1 {
		return &shapeError{deferredReceiveRewrite, "Exec", fmt.Sprintf("receives from ec.DeferredResults %d times, want 1", len(found))}
	}
	rc := found[0]
	switch {
	case rc.stmt == nil:
		return &shapeError{deferredReceiveRewrite, rc.fn, "receives from ec.DeferredResults other than as `result := <-ec.DeferredResults`"}
	case !rc.handler:
		return &shapeError{deferredReceiveRewrite, rc.fn, "receives from ec.DeferredResults outside a func(ctx context.Context) *graphql.Response"}
	}
	r.replace(rc.stmt, "result, ok := marshal.NextDeferred(ctx, ec.DeferredResults)\nif !ok {\nreturn nil\n}")
	return nil
}

// isSelector: e is x.sel.
func isSelector(e ast.Expr, x, sel string) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && s.Sel.Name == sel && isIdent(s.X, x)
}

// isResponseHandler: t is func(ctx context.Context) *graphql.Response.
func isResponseHandler(t *ast.FuncType) bool {
	if t.Params == nil || len(t.Params.List) != 1 || len(t.Params.List[0].Names) != 1 ||
		!isIdent(t.Params.List[0].Names[0], "ctx") || !isSelector(t.Params.List[0].Type, "context", "Context") {
		return false
	}
	if t.Results == nil || len(t.Results.List) != 1 || len(t.Results.List[0].Names) != 0 {
		return false
	}
	star, ok := t.Results.List[0].Type.(*ast.StarExpr)
	return ok && isSelector(star.X, "graphql", "Response")
}
