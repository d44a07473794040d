package marshal

import (
	"context"
	"sync"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// fieldsCacheKey names one call of CollectFields within an operation, as
// gqlgen's own cache does: the selection set by its backing array and
// length (the operation holds it for the operation's life, so no other
// selection set has that address; fields merged from several selections
// get a new array) and the object's implementors, a generated package
// variable per type.
type fieldsCacheKey struct {
	sel       *ast.Selection
	n         int
	satisfies *string
}

// fieldsCache is an operation's collected fields, by what they were
// collected from.
type fieldsCache struct {
	mu sync.RWMutex
	m  map[fieldsCacheKey][]graphql.CollectedField
}

type fieldsCacheCtx struct{}

// WithFieldsCache gives the operation run under ctx a cache of collected
// fields for CollectFields (the executor calls it once per operation).
func WithFieldsCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, fieldsCacheCtx{}, &fieldsCache{m: map[fieldsCacheKey][]graphql.CollectedField{}})
}

// CollectFields is graphql.CollectFields for an object marshaler: the same
// fields, collected once per operation for each selection set and type,
// where gqlgen hashes the type's implementors into a new hasher for every
// object it writes. Without a cache in ctx it is gqlgen's.
func CollectFields(ctx context.Context, oc *graphql.OperationContext, sel ast.SelectionSet, satisfies []string) []graphql.CollectedField {
	c, _ := ctx.Value(fieldsCacheCtx{}).(*fieldsCache)
	if c == nil || len(sel) == 0 || len(satisfies) == 0 {
		return graphql.CollectFields(oc, sel, satisfies)
	}
	k := fieldsCacheKey{sel: unsafe.SliceData(sel), n: len(sel), satisfies: unsafe.SliceData(satisfies)}
	c.mu.RLock()
	fields, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return fields
	}
	fields = graphql.CollectFields(oc, sel, satisfies)
	c.mu.Lock()
	c.m[k] = fields
	c.mu.Unlock()
	return fields
}
