package auth

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine (a JWKS refresh, an
// HTTP connection) outlives them.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
