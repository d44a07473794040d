package wstest

import (
	"bufio"
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
	require.NoError(t, req.Write(conn))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	return &Raw{t: t, conn: conn, br: br}
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
	_ = r.conn.SetReadDeadline(time.Now().Add(d))
	for {
		var hdr [2]byte
		if _, err := io.ReadFull(r.br, hdr[:]); err != nil {
			return 0, false
		}
		n := uint64(hdr[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(r.br, b[:]); err != nil {
				return 0, false
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(r.br, b[:]); err != nil {
				return 0, false
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(r.br, payload); err != nil {
			return 0, false
		}
		if hdr[0]&0x0f == 8 && len(payload) >= 2 { // a close frame
			return int(binary.BigEndian.Uint16(payload)), true
		}
	}
}
