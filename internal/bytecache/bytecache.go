// Package bytecache is a least-recently-used cache bounded by an estimate
// of the memory its entries hold rather than by their count. gqlgen's
// caches (handler/lru) count entries, so a caller sending large new
// documents makes a cache of 1,000 entries hold hundreds of megabytes.
package bytecache

import (
	"container/list"
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// entryOverhead is what an entry costs beyond its estimated size: its list
// element, map slot and key header.
const entryOverhead = 128

// Cache keeps values by key within a byte budget, evicting the least
// recently used first. An entry whose size is over a sixteenth of the
// budget is not kept, so no one value flushes the cache. It is safe for
// concurrent use.
type Cache[T any] struct {
	budget int
	size   func(key string, v T) int // estimated bytes held by key and v

	mu    sync.Mutex
	order *list.List // of *entry[T], most recently used first
	byKey map[string]*list.Element
	used  int
}

type entry[T any] struct {
	key  string
	v    T
	size int
}

var _ graphql.Cache[string] = (*Cache[string])(nil)

// New returns a cache of budget bytes whose entries weigh size(key, value)
// plus a small fixed overhead.
func New[T any](budget int, size func(key string, v T) int) *Cache[T] {
	return &Cache[T]{budget: budget, size: size, order: list.New(), byKey: map[string]*list.Element{}}
}

// Get returns the value kept under key and marks it recently used.
func (c *Cache[T]) Get(_ context.Context, key string) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		var zero T
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry[T]).v, true
}

// Contains reports whether key is kept, without marking it used.
func (c *Cache[T]) Contains(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.byKey[key]
	return ok
}

// Add keeps v under key, unless it is too large, evicting the least
// recently used entries until the cache is within its budget.
func (c *Cache[T]) Add(_ context.Context, key string, v T) {
	n := c.size(key, v) + entryOverhead
	if n > c.budget/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.remove(el)
	}
	c.byKey[key] = c.order.PushFront(&entry[T]{key: key, v: v, size: n})
	c.used += n
	for c.used > c.budget {
		c.remove(c.order.Back())
	}
}

func (c *Cache[T]) remove(el *list.Element) {
	e := c.order.Remove(el).(*entry[T])
	delete(c.byKey, e.key)
	c.used -= e.size
}

// Usage returns the entries kept and their estimated bytes.
func (c *Cache[T]) Usage() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.used
}

// StringSize estimates the bytes a string key and string value hold.
func StringSize(key, v string) int { return len(key) + len(v) }
