package refdata

import (
	"log/slog"
	"sync"
)

// Keyed is a family of cached values, one per key, sharing a policy: for
// reference data fetched per key, such as a staff member's departments.
type Keyed[K comparable, T any] struct {
	name   string
	load   func(K) Load[T]
	policy Policy
	log    *slog.Logger

	mu     sync.Mutex
	values map[K]*Value[T]
}

// NewKeyed returns an empty keyed cache; load(k) fetches the value of k.
func NewKeyed[K comparable, T any](name string, load func(K) Load[T], p Policy, log *slog.Logger) *Keyed[K, T] {
	return &Keyed[K, T]{name: name, load: load, policy: p, log: log, values: map[K]*Value[T]{}}
}

// For returns the cached value of key, creating it on first use.
func (k *Keyed[K, T]) For(key K) *Value[T] {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.values[key]
	if !ok {
		v = NewValue(k.name, k.load(key), k.policy, k.log)
		k.values[key] = v
	}
	return v
}
