package main

import (
	"maps"
	"slices"
)

// typeNode is what the analysis needs of one GraphQL output type.
type typeNode struct {
	// waits: a field of this object runs concurrently (a resolver, or one
	// with a runtime directive): it may wait on a loader or the upstream.
	waits bool
	// children are the output types reachable in one step: the types of an
	// object's fields, or an interface's or union's implementations.
	children []string
}

// typeGraph is the schema's output types by name.
type typeGraph map[string]typeNode

// mayWait returns the types whose marshaling may wait: those that wait
// themselves and every type from which one is reachable. The rest can be
// marshaled on the caller's goroutine without ever blocking it.
func (g typeGraph) mayWait() map[string]bool {
	out := map[string]bool{}
	for name, n := range g {
		if n.waits {
			out[name] = true
		}
	}
	// Least fixed point: a type waits when any child does (cycles, such as
	// Customer -> Staff -> Customer, settle once nothing changes).
	for changed := true; changed; {
		changed = false
		for _, name := range slices.Sorted(maps.Keys(g)) {
			if out[name] {
				continue
			}
			for _, c := range g[name].children {
				if out[c] {
					out[name], changed = true, true
					break
				}
			}
		}
	}
	return out
}
