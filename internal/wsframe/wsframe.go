// Package wsframe writes and reads WebSocket frames (RFC 6455) byte by
// byte, for clients that must send what no WebSocket library sends: a
// frame header whose payload never follows, a reserved bit, an unmasked
// frame, frames right behind the upgrade request before its answer. The
// hostile-client tests (wstest.Raw) and the attack tool (bench/attack)
// speak it; the gateway does not.
package wsframe

import (
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
)

// Opcodes of the frames the clients send and read.
const (
	OpText  byte = 1
	OpClose byte = 8
)

// maskKey masks every masked frame: a client must mask, any key will do.
var maskKey = [4]byte{1, 2, 3, 4}

// UpgradeRequest is the GET that asks to upgrade the connection to url
// (http://host/path) to a graphql-transport-ws WebSocket, with the headers
// h besides; write it on the connection, then read the answer.
func UpgradeRequest(url string, h http.Header) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header = h.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	req.Header.Set("Sec-WebSocket-Protocol", "graphql-transport-ws")
	return req, nil
}

// Encode is one frame's bytes: opcode, FIN and RSV1 (compressed) as given,
// the payload masked unless unmasked.
func Encode(opcode byte, fin, rsv1, unmasked bool, payload []byte) []byte {
	b0 := opcode
	if fin {
		b0 |= 0x80
	}
	if rsv1 {
		b0 |= 0x40
	}
	mask := byte(0x80)
	if unmasked {
		mask = 0
	}
	b := appendLength([]byte{b0}, mask, uint64(len(payload)))
	if unmasked {
		return append(b, payload...)
	}
	b = append(b, maskKey[:]...)
	return appendMasked(b, payload)
}

// Text is a whole, masked text frame of s.
func Text(s string) []byte { return Encode(OpText, true, false, false, []byte(s)) }

// Header is the header of a whole, masked frame of the opcode announcing
// length payload bytes (in the 8-byte length form), then prefix, the
// first of those bytes, masked: a frame whose rest may never follow.
func Header(opcode byte, length uint64, prefix []byte) []byte {
	b := []byte{0x80 | opcode, 0x80 | 127}
	b = binary.BigEndian.AppendUint64(b, length)
	b = append(b, maskKey[:]...)
	return appendMasked(b, prefix)
}

// appendLength appends the second byte (mask bit and length) and the
// extended length, in the shortest form.
func appendLength(b []byte, mask byte, n uint64) []byte {
	switch {
	case n < 126:
		return append(b, mask|byte(n))
	case n < 1<<16:
		return binary.BigEndian.AppendUint16(append(b, mask|126), uint16(n))
	default:
		return binary.BigEndian.AppendUint64(append(b, mask|127), n)
	}
}

// appendMasked appends p masked with maskKey from its first byte.
func appendMasked(b, p []byte) []byte {
	for i, c := range p {
		b = append(b, c^maskKey[i%4])
	}
	return b
}

// Read reads the next frame from r, unmasked as a server sends them, and
// returns its opcode and payload; a payload announced over max bytes is an
// error before it is read (max 0: no bound).
func Read(r io.Reader, max uint64) (opcode byte, payload []byte, err error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(hdr[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if max > 0 && n > max {
		return 0, nil, fmt.Errorf("a frame of %d bytes, over %d", n, max)
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, err
	}
	return hdr[0] & 0x0f, payload, nil
}
