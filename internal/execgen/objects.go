package main

import (
	"fmt"
	"go/ast"
	"go/token"
)

// objectWriters makes every object marshaler return marshal.Object(fields,
// out.Values) instead of its graphql.FieldSet `out` (the same JSON without
// a map of written aliases and a copy of every field), and one that
// schedules no field with ResolveConcurrently (none may wait or be
// deferred: see ownFieldSetMethods) build its field set with
// marshal.NewFieldSet(fields) and return out.Object(): one allocation for
// the set, its values and the writer where gqlgen makes three. Every
// object writes its __typename with marshal.Literal instead of
// graphql.MarshalString (a closure per object) and collects its fields
// with marshal.CollectFields (the operation's cache, without gqlgen's new
// hasher per object).
// The functions that build a field set must be exactly the named objects'
// marshalers, each collecting its fields, building its field set from
// them, returning a graphql.Marshaler, returning `out` once and writing
// its __typename with graphql.MarshalString of a literal once.
func (r *rewriter) objectWriters(objects map[string]bool) error {
	for _, fn := range r.bodies() {
		if !objects[fn.Name.Name] && assigns(fn, "out", "NewFieldSet") {
			return &shapeError{objectWriterRewrite, fn.Name.Name, "builds a field set but is no object's marshaler"}
		}
	}
	for _, name := range sorted(objects) {
		fn := r.funcs[name]
		var problem string
		switch {
		case fn == nil:
			problem = "no such object marshaler"
		case !collectsFields(fn):
			problem = "does not collect its fields (fields := graphql.CollectFields(...))"
		case !assigns(fn, "out", "NewFieldSet"):
			problem = "does not build its field set (out := graphql.NewFieldSet(...))"
		case !returnsMarshaler(fn):
			problem = "does not return a graphql.Marshaler"
		}
		if problem != "" {
			return &shapeError{objectWriterRewrite, name, problem}
		}
		returns := returnsOut(fn)
		if len(returns) != 1 {
			return &shapeError{objectWriterRewrite, name, fmt.Sprintf("returns its field set %d times, want 1", len(returns))}
		}
		typename := literalStrings(fn)
		if len(typename) != 1 {
			return &shapeError{objectWriterRewrite, name, fmt.Sprintf("writes %d literal strings (its __typename), want 1", len(typename))}
		}
		r.replace(typename[0].Fun, "marshal.Literal")
		collect := assignment(fn, "fields", "CollectFields")
		if len(collect.Args) != 3 {
			return &shapeError{objectWriterRewrite, name, "collects its fields with other arguments than (operation, selections, implementors)"}
		}
		r.replace(collect, "marshal.CollectFields(ctx, "+r.text(collect.Args[0])+", "+r.text(collect.Args[1])+", "+r.text(collect.Args[2])+")")
		if needsGQLGenFieldSet(fn) {
			// gqlgen's field set schedules the fields that may wait.
			r.replace(returns[0].Results[0], "marshal.Object(fields, out.Values)")
			continue
		}
		r.replace(assignment(fn, "out", "NewFieldSet").Fun, "marshal.NewFieldSet")
		r.replace(returns[0].Results[0], "out.Object()")
	}
	return nil
}

// ownFieldSetMethods are the parts of gqlgen's field set an object
// marshaler may use on a marshal.FieldSet: the ones that never read the
// set's collected fields, which marshal.NewFieldSet cannot fill (they are
// unexported). ResolveConcurrently (a field that may wait or be deferred)
// reads them, so an object that calls it keeps gqlgen's field set.
var ownFieldSetMethods = map[string]bool{
	"Values": true, "Invalids": true, "Dispatch": true, "Concurrently": true, "ResolveRootConcurrently": true,
}

// needsGQLGenFieldSet: fn uses its field set `out` beyond ownFieldSetMethods.
func needsGQLGenFieldSet(fn *ast.FuncDecl) bool {
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && isIdent(sel.X, "out") && !ownFieldSetMethods[sel.Sel.Name] {
			found = true
		}
		return !found
	})
	return found
}

// literalStrings are fn's calls of graphql.MarshalString with a string
// literal.
func literalStrings(fn *ast.FuncDecl) []*ast.CallExpr {
	var out []*ast.CallExpr
	for _, call := range graphQLCalls(fn, "MarshalString") {
		if len(call.Args) == 1 {
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				out = append(out, call)
			}
		}
	}
	return out
}

// deferredGroups makes every object marshaler build its @defer group with
// marshal.DeferredGroup(ctx, fields), which does gqlgen's work only when
// one of the object's collected fields is deferred, instead of
// graphql.NewDeferredGroup(ctx), which computes the object's response path
// (allocating it) for every object of every response. The functions that
// build a group must be exactly the named objects' marshalers, each
// collecting its fields and calling graphql.NewDeferredGroup(ctx) once.
func (r *rewriter) deferredGroups(objects map[string]bool) error {
	for _, fn := range r.bodies() {
		if !objects[fn.Name.Name] && len(graphQLCalls(fn, "NewDeferredGroup")) > 0 {
			return &shapeError{deferredGroupRewrite, fn.Name.Name, "builds a deferred group but is no object's marshaler"}
		}
	}
	for _, name := range sorted(objects) {
		fn := r.funcs[name]
		if fn == nil {
			return &shapeError{deferredGroupRewrite, name, "no such object marshaler"}
		}
		calls := graphQLCalls(fn, "NewDeferredGroup")
		if len(calls) != 1 {
			return &shapeError{deferredGroupRewrite, name, fmt.Sprintf("makes %d calls of graphql.NewDeferredGroup, want 1", len(calls))}
		}
		if !collectsFields(fn) {
			return &shapeError{deferredGroupRewrite, name, "does not collect its fields (fields := graphql.CollectFields(...))"}
		}
		if len(calls[0].Args) != 1 || !isIdent(calls[0].Args[0], "ctx") {
			return &shapeError{deferredGroupRewrite, name, "calls graphql.NewDeferredGroup with other arguments than (ctx)"}
		}
		r.replace(calls[0], "marshal.DeferredGroup(ctx, fields)")
	}
	return nil
}

// returnsMarshaler: fn returns one graphql.Marshaler.
func returnsMarshaler(fn *ast.FuncDecl) bool {
	res := fn.Type.Results
	if res == nil || len(res.List) != 1 || len(res.List[0].Names) > 1 {
		return false
	}
	sel, ok := res.List[0].Type.(*ast.SelectorExpr)
	return ok && isIdent(sel.X, "graphql") && sel.Sel.Name == "Marshaler"
}

// returnsOut are fn's statements `return out`, closures included.
func returnsOut(fn *ast.FuncDecl) []*ast.ReturnStmt {
	var out []*ast.ReturnStmt
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) == 1 && isIdent(ret.Results[0], "out") {
			out = append(out, ret)
		}
		return true
	})
	return out
}
