package customers

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// The checks every answer about customers passes before it leaves the
// store. Tanma's pages document the shape of each answer; one outside it
// becomes an error (UPSTREAM_INVALID) or a flagged value, never data that
// looks right: no empty list for a missing one, no customer "0", no walk
// that never ends.

// Problems of answers outside the documented shape, as counted
// (Options.OnInvalid, the metric's problem label).
const (
	problemMissingList    = "missing_list"      // data or its list is null or absent
	problemNoID           = "item_without_id"   // a list item that is null or has no id
	problemDuplicateItem  = "duplicate_item"    // a customer listed twice in one page
	problemOtherCustomers = "other_customers"   // a search by id answering other customers
	problemEmptyPage      = "empty_page"        // a search page with no items where the total says there are more
	problemDuplicateField = "duplicate_field"   // one field listed twice with different values
	problemFieldWithNoKey = "field_without_key" // an entry of the fields array that names no field
	problemWrongType      = "wrong_type"        // a value of a JSON type the documentation does not give
	problemRepeatingWalk  = "repeating_walk"    // pages that led back into a walk (relay.Walks)
)

// invalid counts an answer outside the shape and returns its error for
// the whole answer.
func (s *Store) invalid(endpoint, problem, why string) error {
	s.onInvalid(problem)
	return tanma.Invalid(endpoint, why)
}

// leftOut is the error shown for items of a page that were left out: at
// the connection, with how many (what: "customer", "follow-up").
func leftOut(n int, what string) error {
	return leftOutBecause(n, what, "without an id")
}

// leftOutBecause is leftOut for another reason (why follows the items).
func leftOutBecause(n int, what, why string) error {
	if n != 1 {
		what += "s"
	}
	return apperr.LeftOut(n, "Tanma listed %d %s %s: left out of this page", n, what, why)
}

// checkItems keeps the customers of a page that have an id, once each,
// checked and normalized (see normalize); an item without one, or listed
// again in the same page, is left out, and an error says how many were.
func (s *Store) checkItems(ctx context.Context, items []tanma.Customer, seen *problems) []tanma.Customer {
	set, _ := s.fieldSet(ctx) // without definitions: checked, not ordered
	out := items[:0:0]
	missing, twice := 0, 0
	for _, c := range items {
		switch {
		case c.CustomerID <= 0:
			missing++
			s.onInvalid(problemNoID)
			continue
		case slices.ContainsFunc(out, func(o tanma.Customer) bool { return o.CustomerID == c.CustomerID }):
			twice++
			s.onInvalid(problemDuplicateItem)
			continue
		}
		if len(c.Flaws) > 0 {
			s.onInvalid(problemWrongType)
		}
		out = append(out, s.normalize(c, set))
	}
	if missing > 0 {
		seen.add(leftOut(missing, "customer"))
	}
	if twice > 0 {
		seen.add(leftOutBecause(twice, "customer", "a second time in one page"))
	}
	return out
}

// normalize puts a customer in the one shape every entry point shows:
// each field keyed as the definitions key it (a system field sent under
// its field id gets its fixed key, so the top-level value agrees with
// fields), in the definitions' order (fields no definition names last, in
// key order, as a search item's are), once (the first entry; a later one with
// another value is a flaw, so the customer's top level and fields agree on
// the first), and entries that name no field left out (a flaw).
func (s *Store) normalize(c tanma.Customer, set *refdata.FieldSet) tanma.Customer {
	if normal(c.Fields, set) {
		return c // what Tanma sends as documented: nothing to copy
	}
	fields := make([]tanma.Field, 0, len(c.Fields))
	for _, f := range c.Fields {
		if f.Field == "" {
			c.Flaws = append(c.Flaws, tanma.Flaw{Property: "fields", Problem: tanma.FlawNoKey})
			s.onInvalid(problemFieldWithNoKey)
			continue
		}
		if def, ok := set.ByKey(f.Field); ok {
			f.Field = def.Key
		}
		if i := slices.IndexFunc(fields, func(g tanma.Field) bool { return g.Field == f.Field }); i >= 0 {
			if !sameValue(fields[i], f) {
				c.Flaws = append(c.Flaws, tanma.Flaw{Property: "fields", Problem: tanma.FlawDuplicate})
				s.onInvalid(problemDuplicateField)
			}
			continue
		}
		fields = append(fields, f)
	}
	if set != nil {
		rank := func(f tanma.Field) int {
			if r, ok := set.Rank(f.Field); ok {
				return r
			}
			return len(set.Defs)
		}
		byRank := func(a, b tanma.Field) int {
			if ra, rb := rank(a), rank(b); ra != rb || ra < len(set.Defs) {
				return cmp.Compare(ra, rb)
			}
			return strings.Compare(a.Field, b.Field) // no definition names them
		}
		if !slices.IsSortedFunc(fields, byRank) {
			slices.SortStableFunc(fields, byRank)
		}
	}
	c.Fields = fields
	return c
}

// normal reports whether fields are already in the one shape: keyed as
// the definitions key them, in their order, once each.
func normal(fields []tanma.Field, set *refdata.FieldSet) bool {
	prev, prevKey := -1, ""
	for i, f := range fields {
		if f.Field == "" {
			return false
		}
		if def, ok := set.ByKey(f.Field); ok && def.Key != f.Field {
			return false
		}
		r, ok := set.Rank(f.Field)
		if !ok {
			r = len(fieldDefs(set))
		}
		if r < prev || (r == prev && !ok && set != nil && f.Field < prevKey) {
			return false
		}
		prev, prevKey = r, f.Field
		for _, g := range fields[:i] {
			if g.Field == f.Field {
				return false
			}
		}
	}
	return true
}

// fieldDefs is the set's definitions (none without a set).
func fieldDefs(set *refdata.FieldSet) []*refdata.FieldDef {
	if set == nil {
		return nil
	}
	return set.Defs
}

func sameValue(a, b tanma.Field) bool {
	switch {
	case a.ValueAsText == nil || b.ValueAsText == nil:
		return a.ValueAsText == b.ValueAsText
	}
	return *a.ValueAsText == *b.ValueAsText
}
