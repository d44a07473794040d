// Package gcpolicy sets the Go garbage collector's policy for the gateway.
// The gateway allocates a lot for each request (a typed page of customers
// is a few MB of short-lived objects) and keeps little between requests, so
// Go's default (collect whenever the heap doubles) spends a large share of
// the CPU collecting (bench/README.md). The policy trades memory for CPU
// within a bound: the heap may grow to five times what is live (GOGC=400)
// but never past a soft limit, and near the limit the collector works
// harder rather than letting memory grow.
//
// Operators keep the last word: GOGC and GOMEMLIMIT, when set, are Go's
// own settings and are left as they are.
package gcpolicy

import (
	"errors"
	"math"
	"runtime/debug"
	"strconv"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

const (
	// GCPercent is the collector's target when GOGC is unset.
	GCPercent = 400
	// ContainerShare is the part of the container's memory limit given to
	// Go as its soft limit when GOMEMLIMIT is unset: the rest is for what
	// Go does not count (the binary, thread stacks, the kernel's buffers),
	// so the container is never killed for memory the collector could free.
	ContainerShare = 0.8
	// MemoryLimit is the soft limit when GOMEMLIMIT is unset and no
	// container limit is found: the bound under which GCPercent applies.
	MemoryLimit = 128 << 20
)

// Policy is what Decide chose.
type Policy struct {
	GCPercent   int    // the collector's target (GOGC); -1: off
	MemoryLimit int64  // the soft memory limit in bytes (GOMEMLIMIT); math.MaxInt64: none
	Source      string // where the limit comes from: "GOMEMLIMIT", "container" or "default"
	// Warning (may be empty) says why the container's limit could not be
	// read: the default applies then.
	Warning string
}

// Decide chooses the policy from the environment and the container's
// memory limit (memlimit.FromCgroup in production). GOGC and GOMEMLIMIT,
// when set, are reported as the Go runtime reads them.
func Decide(getenv func(string) string, containerLimit func() (uint64, error)) Policy {
	p := Policy{GCPercent: GCPercent}
	if v := getenv("GOGC"); v != "" {
		p.GCPercent = debug.SetGCPercent(-1) // read the runtime's value...
		debug.SetGCPercent(p.GCPercent)      // ...and keep it
	}
	if getenv("GOMEMLIMIT") != "" {
		p.MemoryLimit, p.Source = debug.SetMemoryLimit(-1), "GOMEMLIMIT"
		return p
	}
	limit, err := containerLimit()
	switch {
	case err == nil && limit > 0 && limit < math.MaxInt64:
		p.MemoryLimit, p.Source = int64(float64(limit)*ContainerShare), "container"
	case err == nil, errors.Is(err, memlimit.ErrNoLimit), errors.Is(err, memlimit.ErrNoCgroup),
		errors.Is(err, memlimit.ErrCgroupsNotSupported):
		p.MemoryLimit, p.Source = MemoryLimit, "default"
	default:
		p.MemoryLimit, p.Source = MemoryLimit, "default"
		p.Warning = "the container's memory limit could not be read: " + err.Error()
	}
	return p
}

// Apply sets p in the Go runtime.
func Apply(p Policy) {
	debug.SetGCPercent(p.GCPercent)
	debug.SetMemoryLimit(p.MemoryLimit)
}

// LogAttrs describe p for the start-up log.
func (p Policy) LogAttrs() []any {
	gogc := strconv.Itoa(p.GCPercent)
	if p.GCPercent < 0 {
		gogc = "off"
	}
	limit := "none"
	if p.MemoryLimit < math.MaxInt64 {
		limit = strconv.FormatInt(p.MemoryLimit>>20, 10) + "MiB"
	}
	return []any{"gogc", gogc, "memory_limit", limit, "memory_limit_from", p.Source}
}
