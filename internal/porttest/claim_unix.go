//go:build unix

package porttest

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// claim takes port p for this process with an exclusive lock on a file
// named after it, held (the file left open) until release or the process
// exits; false
// when another process holds it. Without a lock (the file cannot be made)
// the port is still tried. The files (empty, one per port of the range at
// most) stay in the temporary directory: removing one could let two
// processes lock different files of the same name.
func claim(p int) bool {
	f, err := os.OpenFile(filepath.Join(os.TempDir(), fmt.Sprintf("porttest-%d.lock", p)), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return true
	}
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		_ = f.Close()
		return false
	}
	claimed[p] = f // kept open: the lock lasts until release
	return true
}

// release gives port p's lock back (callers hold mu).
func release(p int) {
	if f, ok := claimed[p]; ok {
		_ = f.Close()
		delete(claimed, p)
	}
}

// claimed are the lock files of the ports this process holds (under mu).
var claimed = map[int]*os.File{}
