package porttest_test

import (
	"fmt"
	"net"
	"os"
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
