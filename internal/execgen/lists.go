package main

import "fmt"

// inlineLists makes each named list marshaler call marshal.Slice instead of
// graphql.MarshalSliceConcurrently: the same signature and result, with
// every element marshaled on the caller's goroutine. Each must exist and
// make exactly one such call.
func (r *rewriter) inlineLists(lists map[string]bool) error {
	for _, name := range sorted(lists) {
		fn := r.funcs[name]
		if fn == nil {
			return &shapeError{inlineListRewrite, name, "no such list marshaler"}
		}
		calls := graphQLCalls(fn, "MarshalSliceConcurrently")
		if len(calls) != 1 {
			return &shapeError{inlineListRewrite, name, fmt.Sprintf("makes %d calls of graphql.MarshalSliceConcurrently, want 1", len(calls))}
		}
		r.replace(calls[0].Fun, "marshal.Slice")
	}
	return nil
}
