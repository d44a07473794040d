package executor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// maxRepeatPairs bounds the pairs of repeated selections a document has at
// its places, which is the work of gqlparser's overlapping-fields rule: it
// compares every two fields of one response name at one place, and every
// two fragments there (spread or inline). A place is a path of response
// names: the selections of a fragment belong to the place it sits at, and
// those of every copy of a field to the one place below it (in
// { a { x } a { x } } the rule compares the two a, then the two x). So the
// work grows with the square of the copies: 1,990 copies of one field
// (10 KB, within MAX_FIELDS) took 165 ms of CPU to validate. Within this
// bound (141 copies of one field at one place, or 53 copies of a field
// with 6 subfields) validation took 1.2 to 1.7 ms. README's dashboard
// query has no pair; a Relay page of 40 fragments on one object, each
// selecting id, __typename, name and the owner's three, has 6,280.
const maxRepeatPairs = 10000

// checkRepeats refuses a document whose places hold more than
// maxRepeatPairs pairs of repeated selections, each fragment counted as
// often as it is spread (fieldCap has bounded the fields so counted). A
// fragment no operation spreads is validated alone: a place of its own.
func checkRepeats(doc *ast.QueryDocument, defs map[string]*ast.FragmentDefinition) *gqlerror.Error {
	r := repeats{defs: defs, walking: map[*ast.FragmentDefinition]bool{}, spread: map[*ast.FragmentDefinition]bool{}}
	for _, op := range doc.Operations {
		r.reset()
		if err := r.walk(root, op.SelectionSet); err != nil {
			return err
		}
	}
	for _, def := range doc.Fragments {
		if !r.spread[def] {
			r.reset()
			r.spread[def] = true
			if err := r.walk(root, def.SelectionSet); err != nil {
				return err
			}
		}
	}
	return nil
}

// A place is numbered: the root is 0, and each response name below a
// place gets the next number the first time it is seen there. Counting by
// number keeps the memory proportional to the fields, whatever their
// names' lengths and depth (a path of names per field would not be).
const root = 0

// fragmentsAt is the name fragments are counted under at a place.
const fragmentsAt = "..."

// slot is a response name (or fragmentsAt) at a place.
type slot struct {
	place int
	name  string
}

// repeats counts the selections at each place of one operation, and the
// pairs they make in the whole document. A selection repeated at its place
// adds a pair with each copy, so the walk is bounded by the places plus
// maxRepeatPairs, whatever the fragments.
type repeats struct {
	defs    map[string]*ast.FragmentDefinition
	places  map[slot]int                     // the place below each name at a place
	parents []slot                           // each place's parent and name (for errors)
	counts  map[slot]int                     // selections of each name at each place
	pairs   int                              // pairs of repeated selections so far
	walking map[*ast.FragmentDefinition]bool // fragments being walked (a cycle is not followed)
	spread  map[*ast.FragmentDefinition]bool // fragments some operation spreads
}

// reset starts an operation (or a fragment validated alone).
func (r *repeats) reset() {
	r.places, r.parents, r.counts = map[slot]int{}, []slot{{}}, map[slot]int{}
}

// below is the place under name at place.
func (r *repeats) below(at slot) int {
	p, ok := r.places[at]
	if !ok {
		p = len(r.parents)
		r.places[at] = p
		r.parents = append(r.parents, at)
	}
	return p
}

func (r *repeats) walk(place int, set ast.SelectionSet) *gqlerror.Error {
	fragments := slot{place, fragmentsAt}
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			name := sel.Alias
			if name == "" {
				name = sel.Name
			}
			at := slot{place, name}
			if r.over(at) {
				return r.error(fmt.Sprintf("%s is selected %d times at one place", r.path(at), r.counts[at]))
			}
			if err := r.walk(r.below(at), sel.SelectionSet); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if r.over(fragments) {
				return r.error(fmt.Sprintf("%d fragments sit %s", r.counts[fragments], r.at(place)))
			}
			if err := r.walk(place, sel.SelectionSet); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if r.over(fragments) {
				return r.error(fmt.Sprintf("%d fragments sit %s", r.counts[fragments], r.at(place)))
			}
			if def := r.defs[sel.Name]; def != nil && !r.walking[def] {
				r.walking[def], r.spread[def] = true, true
				err := r.walk(place, def.SelectionSet)
				delete(r.walking, def)
				if err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// over counts one more selection at a slot, a pair with each one there
// before, and reports whether the pairs are now too many.
func (r *repeats) over(at slot) bool {
	r.pairs += r.counts[at]
	r.counts[at]++
	return r.pairs > maxRepeatPairs
}

// maxPathInError bounds the path an error names (names may be long).
const maxPathInError = 200

// path is the response path of a name at a place ("customers.edges.node"),
// cut to its last maxPathInError bytes.
func (r *repeats) path(at slot) string {
	var names []string
	for size := 0; ; at = r.parents[at.place] {
		names = append(names, at.name)
		if size += len(at.name) + 1; at.place == root || size > maxPathInError {
			if at.place != root {
				names = append(names, "…")
			}
			break
		}
	}
	slices.Reverse(names)
	p := strings.Join(names, ".")
	if len(p) > maxPathInError {
		p = "…" + p[len(p)-maxPathInError:]
	}
	return p
}

func (r *repeats) error(what string) *gqlerror.Error {
	err := gqlerror.Errorf("the query repeats selections too often (%s): validating it would compare "+
		"more than %d pairs of same-named fields or fragments at one place (copies of a parent field "+
		"and fragments count together), over the limit", what, maxRepeatPairs)
	setCode(err, apperr.QueryLimitExceeded)
	err.Extensions["limit"] = "repeatedSelections"
	return err
}

// at says where fragments sit.
func (r *repeats) at(place int) string {
	if place == root {
		return "at the root"
	}
	return "in " + r.path(r.parents[place])
}
