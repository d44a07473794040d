package refdata

import (
	"log/slog"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Keyed is a family of cached values, one per key, sharing a policy: for
// reference data fetched per key, such as a staff member's departments. It
// holds at most a bounded number of keys, forgetting the least recently used.
type Keyed[K comparable, T any] struct {
	name   string
	load   func(K) Load[T]
	policy Policy
	log    *slog.Logger

	mu     sync.Mutex
	values *lru.Cache[K, *Value[T]]
}

// maxKeys bounds a keyed cache (far more staff than any tenant has).
const maxKeys = 10000

// NewKeyed returns an empty keyed cache; load(k) fetches the value of k.
func NewKeyed[K comparable, T any](name string, load func(K) Load[T], p Policy, log *slog.Logger) *Keyed[K, T] {
	values, _ := lru.New[K, *Value[T]](maxKeys) // only fails for a size < 1
	return &Keyed[K, T]{name: name, load: load, policy: p, log: log, values: values}
}

// For returns the cached value of key, creating it on first use.
func (k *Keyed[K, T]) For(key K) *Value[T] {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.values.Get(key)
	if !ok {
		v = NewValue(k.name, k.load(key), k.policy, k.log)
		k.values.Add(key, v)
	}
	return v
}
