package wstest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Raw is a WebSocket connection spoken byte by byte, for what no client
// library sends: a frame header whose payload never follows.
type Raw struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
}

// DialRaw upgrades a TCP connection to the GraphQL endpoint at httpURL (http://...) to
// WebSocket (graphql-transport-ws) by hand, with the headers h.
func DialRaw(t *testing.T, httpURL string, h http.Header) *Raw {
	t.Helper()
	return DialRawEager(t, httpURL, h)
}

// WriteFrameHeader sends only the header of a masked frame of the opcode
// announcing length payload bytes.
func (r *Raw) WriteFrameHeader(opcode byte, length uint64) {
	r.t.Helper()
	hdr := []byte{0x80 | opcode, 0x80 | 127}
	hdr = binary.BigEndian.AppendUint64(hdr, length)
	hdr = append(hdr, 1, 2, 3, 4) // the mask key
	_, err := r.conn.Write(hdr)
	require.NoError(r.t, err)
}

// CloseCode waits up to d for the server's close frame and returns its
// status code; false when none came (the connection ended without one, or
// d passed).
func (r *Raw) CloseCode(d time.Duration) (int, bool) {
	_, code := r.Messages(d)
	return code, code != 0
}

// DialRawEager writes the upgrade request and then the messages, each a
// masked text frame, in one write, without waiting for the upgrade's
// answer (as a hostile client may), and returns the connection once that
// answer is read (101 expected).
func DialRawEager(t *testing.T, httpURL string, h http.Header, messages ...string) *Raw {
	t.Helper()
	u, err := url.Parse(httpURL)
	require.NoError(t, err)
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	req, err := http.NewRequest(http.MethodGet, httpURL, nil)
	require.NoError(t, err)
	req.Header = h.Clone()
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	req.Header.Set("Sec-WebSocket-Protocol", "graphql-transport-ws")
	var out bytes.Buffer
	require.NoError(t, req.Write(&out))
	for _, m := range messages {
		out.Write(maskedText(m))
	}
	_, err = conn.Write(out.Bytes())
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	return &Raw{t: t, conn: conn, br: br}
}

// maskedText is a final masked text frame holding s.
func maskedText(s string) []byte {
	mask := [4]byte{1, 2, 3, 4}
	b := []byte{0x81}
	switch n := len(s); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = append(b, 0x80|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	b = append(b, mask[:]...)
	for i := range len(s) {
		b = append(b, s[i]^mask[i%4])
	}
	return b
}

// Messages waits up to d for the server's close frame and returns the text
// messages it sent before it and its close code (0 when none came).
func (r *Raw) Messages(d time.Duration) (texts []string, code int) {
	_ = r.conn.SetReadDeadline(time.Now().Add(d))
	for {
		var hdr [2]byte
		if _, err := io.ReadFull(r.br, hdr[:]); err != nil {
			return texts, 0
		}
		n := uint64(hdr[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(r.br, b[:]); err != nil {
				return texts, 0
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(r.br, b[:]); err != nil {
				return texts, 0
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(r.br, payload); err != nil {
			return texts, 0
		}
		switch hdr[0] & 0x0f {
		case 1:
			texts = append(texts, string(payload))
		case 8:
			if len(payload) >= 2 {
				return texts, int(binary.BigEndian.Uint16(payload))
			}
			return texts, 0
		}
	}
}

// Close closes the TCP connection without a close frame.
func (r *Raw) Close() { _ = r.conn.Close() }
