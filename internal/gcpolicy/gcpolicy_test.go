package gcpolicy

import (
	"errors"
	"math"
	"runtime/debug"
	"testing"

	"github.com/KimMachineGun/automemlimit/memlimit"
	"github.com/stretchr/testify/assert"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func limit(n uint64, err error) func() (uint64, error) {
	return func() (uint64, error) { return n, err }
}

// TestDecide: GOGC=400 when unset; the soft limit from GOMEMLIMIT, else
// 80% of the container's limit, else the default. (Not parallel: reading
// the runtime's settings sets them back, and other tests must not race.)
func TestDecide(t *testing.T) {
	prevGC, prevLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(prevGC); debug.SetMemoryLimit(prevLimit) })

	p := Decide(env(nil), limit(256<<20, nil))
	assert.Equal(t, Policy{GCPercent: 400, MemoryLimit: 214748364, Source: "container"}, p, "80% of 256 MiB")

	p = Decide(env(nil), limit(0, memlimit.ErrNoLimit))
	assert.Equal(t, Policy{GCPercent: 400, MemoryLimit: 128 << 20, Source: "default"}, p)

	p = Decide(env(nil), limit(0, memlimit.ErrNoCgroup))
	assert.Equal(t, Policy{GCPercent: 400, MemoryLimit: 128 << 20, Source: "default"}, p)

	p = Decide(env(nil), limit(0, errors.New("permission denied")))
	assert.Equal(t, int64(128<<20), p.MemoryLimit)
	assert.Contains(t, p.Warning, "permission denied")

	debug.SetGCPercent(150) // as the runtime does for GOGC=150
	debug.SetMemoryLimit(300 << 20)
	p = Decide(env(map[string]string{"GOGC": "150", "GOMEMLIMIT": "300MiB"}), limit(256<<20, nil))
	assert.Equal(t, Policy{GCPercent: 150, MemoryLimit: 300 << 20, Source: "GOMEMLIMIT"}, p, "the operator's settings stand")
	assert.Equal(t, 150, debug.SetGCPercent(150), "reading GOGC left it as it was")
}

func TestApplyAndLog(t *testing.T) {
	prevGC, prevLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(prevGC); debug.SetMemoryLimit(prevLimit) })
	p := Policy{GCPercent: 400, MemoryLimit: 128 << 20, Source: "default"}
	Apply(p)
	assert.Equal(t, 400, debug.SetGCPercent(400))
	assert.Equal(t, int64(128<<20), debug.SetMemoryLimit(-1))
	assert.Equal(t, []any{"gogc", "400", "memory_limit", "128MiB", "memory_limit_from", "default"}, p.LogAttrs())
	assert.Equal(t, []any{"gogc", "off", "memory_limit", "none", "memory_limit_from", "GOMEMLIMIT"},
		Policy{GCPercent: -1, MemoryLimit: math.MaxInt64, Source: "GOMEMLIMIT"}.LogAttrs())
}
