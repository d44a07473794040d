// Package logtest captures what code under test logs, in a buffer that is
// safe to read while other goroutines still write to it.
package logtest

import (
	"bytes"
	"log/slog"
	"sync"
)

// Buffer is a log sink safe for concurrent writes and reads. Its zero value
// is empty and ready to use.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String is everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// JSON returns a logger that writes JSON lines at level and above (nil:
// info) into a new Buffer, and that Buffer.
func JSON(level slog.Leveler) (*slog.Logger, *Buffer) {
	b := &Buffer{}
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: level})), b
}
