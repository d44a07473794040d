// Package proc starts, stops and observes the processes the bench commands
// (bench/load, bench/attack) run the gateway and the sandbox as: the
// gateway built once, a free loopback address for each server, a stop
// that interrupts before it kills, waits until a port listens or a URL
// answers 200, and what is read of a process from outside: its memory and
// CPU time from /proc (Linux) and the gateway's counters from /metrics.
package proc

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/tanma-gql/gateway/internal/porttest"
)

// Build builds the gateway (the module at the working directory) into
// dir/gateway, its output on stderr, and returns the binary's path.
func Build(dir string) (string, error) {
	bin := filepath.Join(dir, "gateway")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build: %w", err)
	}
	return bin, nil
}

// FreeAddr is a loopback address (127.0.0.1:port) nothing listened on a
// moment ago, for a server started by address: outside the ephemeral
// range, so no outgoing connection takes it before the server binds it
// (internal/porttest).
func FreeAddr() string {
	p, err := porttest.Pick()
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("127.0.0.1:%d", p)
}

// Port is the port of addr (host:port), as PORT wants it.
func Port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// Stop interrupts c and waits up to 10 s for it to exit before killing
// it; a command that never started is left alone.
func Stop(c *exec.Cmd) {
	if c.Process == nil {
		return
	}
	_ = c.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.Process.Kill()
		<-done
	}
}
