package executor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// maxRepresentations bounds the representations of one _entities field,
// as nodes is bounded to 100 ids: each may cost an upstream call.
const maxRepresentations = 100

// checkEntities refuses, before anything runs, a federation _entities
// field (a router's fetch of a subgraph's entities by key) with more than
// maxRepresentations representations or with one the schema cannot
// resolve: not an object, no __typename naming a member of the _Entity
// union, or none of that type's @key fields (all present, not all null;
// keys of the type's top-level fields). gqlgen's generated resolution
// would fail the whole type's group with an internal error for those; a
// router never sends them, so they are the caller's mistake
// (BAD_USER_INPUT), and the error names the representation by index,
// never by its values. Schemas without federation have no _entities field
// and pass.
func checkEntities(s *ast.Schema, op *ast.OperationDefinition, vars map[string]any) *gqlerror.Error {
	if op == nil || op.Operation != ast.Query {
		return nil
	}
	for _, f := range rootFields(op.SelectionSet) {
		if f.Name != "_entities" || f.Definition == nil {
			continue
		}
		var reps []any
		switch v := f.ArgumentMap(vars)["representations"].(type) {
		case []any:
			reps = v
		case []map[string]any: // one representation where the list is: coerced to a list of one
			for _, r := range v {
				reps = append(reps, r)
			}
		case map[string]any:
			reps = []any{v}
		}
		if len(reps) > maxRepresentations {
			return badRepresentation("_entities takes at most %d representations, got %d", maxRepresentations, len(reps))
		}
		for i, rep := range reps {
			if problem := representationProblem(s, rep); problem != "" {
				return badRepresentation("representation %d of _entities %s", i, problem)
			}
		}
	}
	return nil
}

// representationProblem says what keeps rep from naming an entity ("" when
// nothing does).
func representationProblem(s *ast.Schema, rep any) string {
	m, ok := rep.(map[string]any)
	if !ok {
		return "is not an object"
	}
	name, _ := m["__typename"].(string)
	if name == "" {
		return "has no __typename"
	}
	union, def := s.Types["_Entity"], s.Types[name]
	if union == nil || def == nil || !slices.Contains(union.Types, name) {
		return "names no entity type of this subgraph"
	}
	var keys []string
	for _, d := range def.Directives.ForNames("key") {
		fields := d.Arguments.ForName("fields")
		if fields == nil || fields.Value == nil {
			continue
		}
		if carriesKey(m, strings.Fields(fields.Value.Raw)) {
			return ""
		}
		keys = append(keys, fields.Value.Raw)
	}
	return fmt.Sprintf("carries none of %s's keys (%s)", name, strings.Join(keys, "; "))
}

// carriesKey: every field of a flat key is present with a scalar value,
// not all of them null (gqlgen's rule for matching a key).
func carriesKey(rep map[string]any, fields []string) bool {
	allNull := true
	for _, f := range fields {
		if strings.ContainsAny(f, "{}") {
			return false // a nested key: this subgraph has none
		}
		v, ok := rep[f]
		if !ok {
			return false
		}
		switch v.(type) {
		case map[string]any, []any:
			return false
		}
		allNull = allNull && v == nil
	}
	return !allNull
}

func badRepresentation(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	setCode(err, apperr.BadUserInput)
	return err
}

// rootFields are the operation's top-level fields, through fragments.
func rootFields(set ast.SelectionSet) []*ast.Field {
	var out []*ast.Field
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			out = append(out, sel)
		case *ast.InlineFragment:
			out = append(out, rootFields(sel.SelectionSet)...)
		case *ast.FragmentSpread:
			if sel.Definition != nil {
				out = append(out, rootFields(sel.Definition.SelectionSet)...)
			}
		}
	}
	return out
}
