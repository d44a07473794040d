// Package porttest hands tests (and the bench programs) loopback ports
// for servers they start by address (PORT, METRICS_ADDR), which must be
// chosen before the server binds them.
//
// A port from listening on :0 and closing is in the kernel's ephemeral
// range, which it also hands out as the source port of outgoing
// connections and to every other :0 listener: on a busy machine (the whole
// suite in parallel) another socket takes it before the server binds it,
// and the server fails to start. Free picks outside that range instead,
// where only a server asking for that very port would collide, and never
// hands the same port out twice at once: not in a process, nor, where file
// locks exist, to two processes (go test runs packages as parallel
// processes that all pick from the same range; each claims its ports with
// a lock file, held until the test that asked ends, or the program exits).
package porttest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
)

// The range Free picks from when the kernel's ephemeral range is unknown
// or leaves no room below it: below Linux's default (32768-60999).
const (
	low  = 20000
	high = 32000
)

var (
	mu    sync.Mutex
	given = map[int]bool{}
)

// Free returns a loopback port nothing listens on, outside the ephemeral
// range, handed to no other test or process until t ends (its servers are
// closed by then: they were started after it).
func Free(t testing.TB) int {
	t.Helper()
	p, err := Pick()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		delete(given, p)
		release(p)
	})
	return p
}

// Pick is Free for a program (bench/load, bench/attack start servers by
// address too): the port stays this process's until it exits.
func Pick() (int, error) {
	lo, hi := pickRange()
	mu.Lock()
	defer mu.Unlock()
	for range 1000 {
		p := lo + rand.IntN(hi-lo)
		if given[p] || !claim(p) {
			continue // ours already, or another process's
		}
		given[p] = true
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue // taken
		}
		_ = ln.Close()
		return p, nil
	}
	return 0, errors.New("porttest: no free port below the ephemeral range")
}

// Addr is 127.0.0.1 and a Free port.
func Addr(t testing.TB) string { return fmt.Sprintf("127.0.0.1:%d", Free(t)) }

// pickRange is [low, high) clipped below the kernel's ephemeral range.
func pickRange() (int, int) {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return low, high
	}
	var first, last int
	if _, err := fmt.Sscan(strings.TrimSpace(string(b)), &first, &last); err != nil || first <= low+1000 {
		return low, high
	}
	return low, min(high, first)
}
