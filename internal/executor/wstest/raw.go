package wstest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/wsframe"
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
	_, err := r.conn.Write(wsframe.Header(opcode, length, nil))
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
	req, err := wsframe.UpgradeRequest(httpURL, h)
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, req.Write(&out))
	for _, m := range messages {
		out.Write(wsframe.Text(m))
	}
	_, err = conn.Write(out.Bytes())
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	return &Raw{t: t, conn: conn, br: br}
}

// Messages waits up to d for the server's close frame and returns the text
// messages it sent before it and its close code (0 when none came).
func (r *Raw) Messages(d time.Duration) (texts []string, code int) {
	_ = r.conn.SetReadDeadline(time.Now().Add(d))
	for {
		op, payload, err := wsframe.Read(r.br, 0)
		if err != nil {
			return texts, 0
		}
		switch op {
		case wsframe.OpText:
			texts = append(texts, string(payload))
		case wsframe.OpClose:
			if len(payload) >= 2 {
				return texts, int(binary.BigEndian.Uint16(payload))
			}
			return texts, 0
		}
	}
}

// Close closes the TCP connection without a close frame.
func (r *Raw) Close() { _ = r.conn.Close() }
