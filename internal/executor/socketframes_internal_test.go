package executor

import (
	"bytes"
	"encoding/binary"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
)

// frame is a masked client frame of opcode with a payload of n bytes.
func frame(opcode byte, n int) []byte {
	b := []byte{0x80 | opcode}
	switch {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n < 1<<16:
		b = append(b, 0x80|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	b = append(b, 1, 2, 3, 4)
	return append(b, bytes.Repeat([]byte{'x'}, n)...)
}

// TestFrameGuard follows frames of every header size, read a byte at a
// time or whole, and calls once for the first data frame over the limit;
// control frames and frames at the limit pass.
func TestFrameGuard(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		stream [][]byte
		big    bool
	}{
		{"small frames", [][]byte{frame(1, 10), frame(9, 0), frame(1, 125)}, false},
		{"16-bit length at the limit", [][]byte{frame(1, 300), frame(1, 1000)}, false},
		{"16-bit length over the limit", [][]byte{frame(1, 10), frame(2, 1001)}, true},
		{"64-bit length", [][]byte{frame(1, 70000)}, true},
		{"continuation over the limit", [][]byte{frame(0, 2000)}, true},
	} {
		for _, oneByte := range []bool{false, true} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				calls := 0
				src := bytes.NewReader(bytes.Join(tc.stream, nil))
				g := &frameGuard{r: src, limit: 1000, onBig: func() { calls++ }}
				if oneByte {
					g.r = iotest.OneByteReader(src)
				}
				buf := make([]byte, 512)
				for {
					if _, err := g.Read(buf); err != nil {
						break
					}
				}
				want := 0
				if tc.big {
					want = 1
				}
				assert.Equal(t, want, calls)
			})
		}
	}
}
