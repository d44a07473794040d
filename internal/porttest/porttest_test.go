package porttest_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/porttest"
)

// TestFree: ports are bindable, distinct and below the ephemeral range.
func TestFree(t *testing.T) {
	first := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		_, _ = fmt.Sscan(string(b), &first)
	}
	seen := map[int]bool{}
	for range 50 {
		p := porttest.Free(t)
		assert.False(t, seen[p], "port %d handed out twice", p)
		seen[p] = true
		assert.Less(t, p, first)
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		require.NoError(t, err)
		require.NoError(t, ln.Close())
	}
}

// TestPortsAreClaimedAcrossProcesses: a port handed out by one process is
// not handed out by another while the first runs (go test runs packages
// as parallel processes).
func TestPortsAreClaimedAcrossProcesses(t *testing.T) {
	if os.Getenv("PORTTEST_CHILD") != "" {
		for range 200 {
			fmt.Println(porttest.Free(t))
		}
		return
	}
	mine := map[int]bool{}
	for range 200 {
		mine[porttest.Free(t)] = true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPortsAreClaimedAcrossProcesses$")
	cmd.Env = append(os.Environ(), "PORTTEST_CHILD=1")
	out, err := cmd.Output()
	require.NoError(t, err)
	theirs := 0
	for _, line := range strings.Fields(string(out)) {
		var p int
		if _, err := fmt.Sscan(line, &p); err == nil && p > 0 {
			theirs++
			assert.False(t, mine[p], "port %d handed to both processes", p)
		}
	}
	assert.Equal(t, 200, theirs)
}
