package app

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves goroutines behind: every
// gateway the tests start must stop completely, upstream work included.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// The default transport keeps idle keep-alive connections of the
		// tests' own HTTP clients.
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
	)
}
