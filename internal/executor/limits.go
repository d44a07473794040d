package executor

import (
	"context"
	"math"
	"net"

	gqlcomplexity "github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/metrics"
	"github.com/tanma-gql/gateway/internal/requestlog"
)

// limitsExtension enforces the operation limits, the introspection policy
// and the caller's budget on every operation, after it is parsed and
// validated and before anything runs.
type limitsExtension struct {
	limits        limits.Limits
	introspection auth.Introspection
	budget        limits.Budget // nil: none
	metrics       *metrics.Metrics
	schema        graphql.ExecutableSchema
}

var (
	_ graphql.HandlerExtension        = (*limitsExtension)(nil)
	_ graphql.OperationContextMutator = (*limitsExtension)(nil)
)

func (e *limitsExtension) ExtensionName() string { return "Limits" }

func (e *limitsExtension) Validate(s graphql.ExecutableSchema) error {
	e.schema = s
	return nil
}

// MutateOperationContext checks the operation's shape, cost and the
// caller's budget, and applies the introspection policy.
func (e *limitsExtension) MutateOperationContext(ctx context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	caller, _ := auth.FromContext(ctx)
	entry := requestlog.From(ctx)
	entry.SetOperation(operationName(rc))
	rc.DisableIntrospection = !e.introspection.Allows(caller)
	if rc.DisableIntrospection && introspects(rc.Operation) {
		err := gqlerror.Errorf("introspection (__schema, __type, _service) needs the introspect permission")
		setCode(err, apperr.Forbidden)
		return err
	}
	if err := checkEntities(e.schema.Schema(), rc.Operation, rc.Variables); err != nil {
		return err
	}

	s := shapeOf(rc.Operation)
	switch {
	case s.depth > e.limits.MaxDepth:
		return limitError("depth", s.depth, e.limits.MaxDepth)
	case s.aliases > e.limits.MaxAliases:
		return limitError("aliases", s.aliases, e.limits.MaxAliases)
	case s.rootFields > e.limits.MaxRootFields:
		return limitError("rootFields", s.rootFields, e.limits.MaxRootFields)
	case s.directives > e.limits.MaxDirectives:
		return limitError("directives", s.directives, e.limits.MaxDirectives)
	}

	cost := gqlcomplexity.Calculate(ctx, e.schema, rc.Operation, rc.Variables)
	entry.SetComplexity(cost)
	if cost > e.limits.MaxComplexity {
		err := gqlerror.Errorf("the query costs %d, over the budget of %d: ask for smaller pages or fewer nested lists", cost, e.limits.MaxComplexity)
		setCode(err, apperr.ComplexityLimitExceeded)
		err.Extensions["cost"], err.Extensions["limit"] = cost, e.limits.MaxComplexity
		return err
	}
	if b := e.budget; b != nil {
		if ok, wait := b.Allow(ctx, budgetKey(caller, entry), cost); !ok {
			e.metrics.Rejected("caller")
			entry.RejectWithRetryAfter(wait)
			secs := max(1, int(math.Ceil(wait.Seconds())))
			err := gqlerror.Errorf("this caller's query budget is spent: retry in %d s", secs)
			setCode(err, apperr.RateLimited)
			err.Extensions["retryAfter"] = secs
			return err
		}
	}
	return nil
}

// budgetKey names whose budget a request spends: an authenticated caller's
// own, else its network address's.
func budgetKey(c auth.Caller, e *requestlog.Entry) string {
	if c.Kind != "" && c.Kind != auth.KindAnonymous {
		return string(c.Kind) + ":" + c.ID
	}
	if ip, _, err := net.SplitHostPort(e.RemoteAddr()); err == nil {
		return "ip:" + ip
	}
	return "ip:" + e.RemoteAddr()
}

// introspects reports whether an operation asks for __schema or __type,
// or for a federation subgraph's SDL, _service (all are only valid on the
// root: see countFields for fragments).
func introspects(op *ast.OperationDefinition) bool {
	var found bool
	var visit func(ast.SelectionSet)
	visit = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				found = found || sel.Name == "__schema" || sel.Name == "__type" || sel.Name == "_service"
			case *ast.InlineFragment:
				visit(sel.SelectionSet)
			case *ast.FragmentSpread:
				if sel.Definition != nil {
					visit(sel.Definition.SelectionSet)
				}
			}
		}
	}
	visit(op.SelectionSet)
	return found
}

// operationName names an operation for logs, metrics and traces: the
// request's operationName, else the name in the document (clients often
// send a named query alone without the parameter).
func operationName(rc *graphql.OperationContext) string {
	if rc.OperationName == "" && rc.Operation != nil {
		return rc.Operation.Name
	}
	return rc.OperationName
}

func limitError(limit string, got, max int) *gqlerror.Error {
	err := gqlerror.Errorf("the query's %s (%d) is over the limit of %d", limit, got, max)
	setCode(err, apperr.QueryLimitExceeded)
	err.Extensions["limit"] = limit
	return err
}

// shape is what the limits measure of an operation.
type shape struct{ depth, aliases, rootFields, directives int }

// shapeOf measures an operation, following fragments. Introspection
// (__schema, __type) is left out: its standard query is deep by nature and
// cheap to answer.
func shapeOf(op *ast.OperationDefinition) shape {
	var s shape
	s.rootFields = countFields(op.SelectionSet)
	walk(op.SelectionSet, 1, &s, map[string]bool{})
	return s
}

func countFields(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			n++
		case *ast.InlineFragment:
			n += countFields(sel.SelectionSet)
		case *ast.FragmentSpread:
			if sel.Definition != nil {
				n += countFields(sel.Definition.SelectionSet)
			}
		}
	}
	return n
}

func walk(set ast.SelectionSet, depth int, s *shape, inFragment map[string]bool) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Name == "__schema" || sel.Name == "__type" {
				continue
			}
			s.depth = max(s.depth, depth)
			if sel.Alias != "" && sel.Alias != sel.Name {
				s.aliases++
			}
			s.directives = max(s.directives, len(sel.Directives))
			walk(sel.SelectionSet, depth+1, s, inFragment)
		case *ast.InlineFragment:
			walk(sel.SelectionSet, depth, s, inFragment)
		case *ast.FragmentSpread:
			if sel.Definition != nil && !inFragment[sel.Name] {
				inFragment[sel.Name] = true
				walk(sel.Definition.SelectionSet, depth, s, inFragment)
				delete(inFragment, sel.Name)
			}
		}
	}
}
