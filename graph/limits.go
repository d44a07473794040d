package graph

import (
	"context"
	"math"
	"net"

	gqlcomplexity "github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/metrics"
	"github.com/tanma-gql/gateway/internal/ratelimit"
	"github.com/tanma-gql/gateway/internal/requestlog"
)

// Introspection policies.
const (
	IntrospectionOn         = "on"         // everyone may introspect (development)
	IntrospectionPermission = "permission" // only callers with the introspect permission
	IntrospectionOff        = "off"        // nobody
)

// Limits bound what one operation may ask. They are checked after the query
// is parsed and validated and before anything runs; a zero field takes its
// default.
type Limits struct {
	MaxTokens     int // parser tokens (default 15,000)
	MaxFields     int // field selections, fragments counted per spread (default 2,000)
	MaxDepth      int // nesting of fields, introspection excluded (default 12)
	MaxAliases    int // aliased fields (default 30)
	MaxRootFields int // top-level fields (default 20)
	MaxDirectives int // directives on one field (default 50)
	MaxComplexity int // query cost budget (default DefaultComplexityLimit)
	// Introspection is IntrospectionOn, IntrospectionPermission or
	// IntrospectionOff (default IntrospectionPermission).
	Introspection string
	// CallerBudget, when set, charges each operation's cost to its caller.
	CallerBudget ratelimit.Limiter
}

// Error codes of refused operations.
const (
	codeQueryLimit      = "QUERY_LIMIT_EXCEEDED"
	codeComplexityLimit = "COMPLEXITY_LIMIT_EXCEEDED"
	codeRateLimited     = "RATE_LIMITED"
	codeForbidden       = "FORBIDDEN"
)

func init() {
	// A refused operation is a request error: HTTP 4xx, not 200. (Only
	// refusals before execution get an HTTP status from their code.)
	errcode.RegisterErrorType(codeQueryLimit, errcode.KindProtocol)
	errcode.RegisterErrorType(codeComplexityLimit, errcode.KindProtocol)
	errcode.RegisterErrorType(codeForbidden, errcode.KindProtocol)
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxTokens, 15000)
	def(&l.MaxFields, 2000)
	def(&l.MaxDepth, 12)
	def(&l.MaxAliases, 30)
	def(&l.MaxRootFields, 20)
	def(&l.MaxDirectives, 50)
	def(&l.MaxComplexity, DefaultComplexityLimit)
	if l.Introspection == "" {
		l.Introspection = IntrospectionPermission
	}
	return l
}

// limitsExtension enforces Limits on every operation.
type limitsExtension struct {
	limits  Limits
	metrics *metrics.Metrics
	schema  graphql.ExecutableSchema
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
	rc.DisableIntrospection = !e.mayIntrospect(caller)
	if rc.DisableIntrospection && introspects(rc.Operation) {
		err := gqlerror.Errorf("introspection (__schema, __type) needs the introspect permission")
		errcode.Set(err, codeForbidden)
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
		errcode.Set(err, codeComplexityLimit)
		err.Extensions["cost"], err.Extensions["limit"] = cost, e.limits.MaxComplexity
		return err
	}
	if b := e.limits.CallerBudget; b != nil {
		if ok, wait := b.Allow(ctx, budgetKey(caller, entry), cost); !ok {
			e.metrics.Rejected("caller")
			entry.RejectWithRetryAfter(wait)
			secs := max(1, int(math.Ceil(wait.Seconds())))
			err := gqlerror.Errorf("this caller's query budget is spent: retry in %d s", secs)
			errcode.Set(err, codeRateLimited)
			err.Extensions["retryAfter"] = secs
			return err
		}
	}
	return nil
}

func (e *limitsExtension) mayIntrospect(c auth.Caller) bool {
	switch e.limits.Introspection {
	case IntrospectionOn:
		return true
	case IntrospectionPermission:
		return c.Can(auth.PermIntrospect)
	}
	return false
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

// introspects reports whether an operation asks for __schema or __type
// (they are only valid on the root: see countFields for fragments).
func introspects(op *ast.OperationDefinition) bool {
	var found bool
	var visit func(ast.SelectionSet)
	visit = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				found = found || sel.Name == "__schema" || sel.Name == "__type"
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
	errcode.Set(err, codeQueryLimit)
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
