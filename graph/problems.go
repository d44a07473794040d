package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// How a customer is shown: typed with the request's field definitions
// (model.NewCustomer), and every value of its upstream record that was not
// in Tanma's documented shape reported as an error at the path of the
// field that shows it, when the query selects that field. Those fields
// are plain values, not resolvers (no goroutine or field context per
// customer), so the errors are placed here, where the customer is mapped.

// customerTypes are the types a customer's selection set may name.
var customerTypes = []string{"Customer", "Node"}

// mapCustomer maps a customer shown at ctx's path whose fields sel
// selects (the current field's selection for customer, node, nodes and a
// subscription's customer; see payloadCustomer for a mutation's).
func (r *Resolver) mapCustomer(ctx context.Context, c tanma.Customer, sel ast.SelectionSet) *model.Customer {
	m := model.NewCustomer(ctx, c, fieldSet(ctx), r)
	if len(m.Problems) > 0 {
		reportProblems(ctx, sel, m.Problems)
	}
	return m
}

// selection is the current field's selection set.
func selection(ctx context.Context) ast.SelectionSet {
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		return fc.Field.Selections
	}
	return nil
}

// child finds a field of an object type in sel: its alias and selection
// set; ok is false when sel does not select it.
func child(ctx context.Context, sel ast.SelectionSet, typeName, field string) (alias string, childSel ast.SelectionSet, ok bool) {
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), sel, []string{typeName}) {
		if f.Name == field {
			return f.Alias, f.Selections, true
		}
	}
	return "", nil, false
}

// fieldSet is the request's field definitions, nil when they cannot be
// loaded (the fields that need them say so at their paths).
func fieldSet(ctx context.Context) *refdata.FieldSet {
	set, _ := loaders.For(ctx).Fields(ctx)
	return set
}

// reportProblems adds each problem at the path of the field it concerns,
// under every alias that selects it in sel (ctx's path is the customer's).
func reportProblems(ctx context.Context, sel ast.SelectionSet, problems []model.FieldProblem) {
	op := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFields(op, sel, customerTypes) {
		for _, p := range problems {
			if p.Field == f.Name {
				graphql.AddError(graphql.WithPathContext(ctx, graphql.NewPathWithField(f.Alias)), p.Err)
			}
		}
	}
}

// nodeSelection finds, in a connection's selection set, where its edges'
// customers are selected: the alias of edges, of node under it, and node's
// selection set; ok is false when no customer of the page is selected.
func nodeSelection(ctx context.Context, sel ast.SelectionSet, connection, edge string) (edges, node string, nodeSel ast.SelectionSet, ok bool) {
	edges, edgeSel, ok := child(ctx, sel, connection, "edges")
	if !ok {
		return "", "", nil, false
	}
	node, nodeSel, ok = child(ctx, edgeSel, edge, "node")
	return edges, node, nodeSel, ok
}

// edgeNodePath is ctx at edges[i].node of the connection at ctx's path.
func edgeNodePath(ctx context.Context, edges string, i int, node string) context.Context {
	ctx = graphql.WithPathContext(ctx, graphql.NewPathWithField(edges))
	ctx = graphql.WithPathContext(ctx, graphql.NewPathWithIndex(i))
	return graphql.WithPathContext(ctx, graphql.NewPathWithField(node))
}

// reportLeftOut adds, at the current field, that n entries of a list of
// Tanma's reference data (what: "staff directory", "tag library", "field
// definitions") were left out as outside the documented shape.
func reportLeftOut(ctx context.Context, n int, what string) {
	if n <= 0 {
		return
	}
	list := fmt.Sprintf("%d entries", n)
	if n == 1 {
		list = "1 entry"
	}
	graphql.AddError(ctx, apperr.LeftOut(n, "Tanma's %s lists %s outside its documented shape (null, of another JSON type, without an id, or repeated): left out", what, list))
}
