package sandbox_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: the
// push deliveries must all wind down (each test closes its sandbox or
// waits for its pushes).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
