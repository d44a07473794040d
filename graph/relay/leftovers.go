package relay

import (
	"sync"
	"time"
)

// Leftovers keeps upstream pages a request fetched but did not use up (the
// rest of the page it stopped in, or a page fetched only to learn whether a
// next page exists), so the request that continues there does not fetch them
// again. An entry is used once and lives ttl at most, so data is never
// served older than ttl; a missing entry only costs the upstream call back.
type Leftovers[T any] struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	entries map[string]leftover[T]
	now     func() time.Time
	gen     uint64 // bumped by Clear: pages fetched before it are not kept
}

type leftover[T any] struct {
	items   []T
	next    string
	size    int // the upstream page size it was fetched with
	expires time.Time
}

// NewLeftovers returns leftovers of at most max pages, each kept at most ttl.
func NewLeftovers[T any](max int, ttl time.Duration) *Leftovers[T] {
	return &Leftovers[T]{ttl: ttl, max: max, entries: map[string]leftover[T]{}, now: time.Now}
}

// Clear drops every leftover page (a write may have changed what they hold
// or which list a customer belongs to), and the pages of walks in flight
// when it ran.
func (s *Leftovers[T]) Clear() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.entries)
	s.gen++
}

// generation tells a walk which Clear it began after.
func (s *Leftovers[T]) generation() uint64 {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

// put keeps a page fetched by a walk that began at generation gen; a page
// fetched before the latest Clear is dropped (it may predate a write).
func (s *Leftovers[T]) put(key string, items []T, next string, size int, gen uint64) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen != s.gen {
		return
	}
	now := s.now()
	if len(s.entries) >= s.max {
		for k, e := range s.entries {
			if now.After(e.expires) || len(s.entries) >= s.max {
				delete(s.entries, k)
			}
		}
	}
	s.entries[key] = leftover[T]{items: items, next: next, size: size, expires: now.Add(s.ttl)}
}

func (s *Leftovers[T]) take(key string) ([]T, string, int, bool) {
	if s == nil {
		return nil, "", 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok {
		return nil, "", 0, false
	}
	delete(s.entries, key)
	if s.now().After(e.expires) {
		return nil, "", 0, false
	}
	return e.items, e.next, e.size, true
}
