// Package marshal is what the generated executor (graph/generated.go, as
// internal/execgen shapes it) calls to marshal lists, objects and leaves
// on the caller's goroutine, in place of gqlgen's runtime: Slice for a
// list whose elements can never wait on I/O (instead of a goroutine per
// element), Object and FieldSet to write an object's fields (instead of
// graphql.FieldSet's map of written aliases, and in one allocation when no
// field may wait), String, Enum, Int, Bool and Literal to write a leaf
// from its model's field (instead of a closure per value) and
// DeferredGroup to build an object's @defer group only when one of its
// fields is deferred. Each writes what gqlgen's counterpart writes: the
// suite passes on gqlgen's plain output too (.ci/run), so the shaping
// changes speed only. One exception, on purpose: NextDeferred, the query's
// wait for its next deferred part, ends with the request, where gqlgen's
// may wait for good (a deferred fragment whose context ended may never
// send its result).
package marshal
