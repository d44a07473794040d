package wsframe_test

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/wsframe"
)

// TestAgainstARealServer: a server speaking WebSocket with coder/websocket
// (the gateway's library) accepts the upgrade request, reads the masked
// text frame sent right behind it, and its answer reads back.
func TestAgainstARealServer(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		typ, msg, err := c.Read(ctx)
		if err != nil || typ != websocket.MessageText {
			return
		}
		_ = c.Write(ctx, websocket.MessageText, append([]byte("echo "), msg...))
		_ = c.Close(websocket.StatusNormalClosure, "")
	}))
	defer srv.Close()

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	req, err := wsframe.UpgradeRequest(srv.URL+"/query", http.Header{"X-Api-Key": {"k"}})
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, req.Write(&out))
	long := strings.Repeat("x", 300) // the 2-byte length form
	out.Write(wsframe.Text(long))
	_, err = conn.Write(out.Bytes())
	require.NoError(t, err)

	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	assert.Equal(t, "graphql-transport-ws", resp.Header.Get("Sec-WebSocket-Protocol"))
	op, p, err := wsframe.Read(br, 0)
	require.NoError(t, err)
	assert.Equal(t, wsframe.OpText, op)
	assert.Equal(t, "echo "+long, string(p))
	op, p, err = wsframe.Read(br, 0)
	require.NoError(t, err)
	assert.Equal(t, wsframe.OpClose, op)
	assert.Equal(t, []byte{0x03, 0xe8}, p, "close code 1000")
}

// TestReadEveryLengthForm reads back unmasked frames (as a server sends
// them) of each length form, and refuses one over max before reading it.
func TestReadEveryLengthForm(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 125, 126, 65535, 65536} {
		payload := bytes.Repeat([]byte{'a'}, n)
		op, p, err := wsframe.Read(bytes.NewReader(wsframe.Encode(wsframe.OpText, true, false, true, payload)), 0)
		require.NoError(t, err, n)
		assert.Equal(t, wsframe.OpText, op)
		assert.Equal(t, payload, p, n)
	}
	_, _, err := wsframe.Read(bytes.NewReader(wsframe.Encode(wsframe.OpText, true, false, true, make([]byte, 200))), 100)
	assert.ErrorContains(t, err, "over 100")
	_, _, err = wsframe.Read(bytes.NewReader([]byte{0x81}), 0)
	assert.Error(t, err, "a truncated header")
}

func TestEncodeBits(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []byte{0x01, 0x02, 'h', 'i'}, wsframe.Encode(wsframe.OpText, false, false, true, []byte("hi")), "not FIN, unmasked")
	assert.Equal(t, []byte{0xc1, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2}, wsframe.Encode(wsframe.OpText, true, true, false, []byte("hi")), "FIN, RSV1, masked")
}

// TestHeaderIsTheStartOfAFrame: Header's bytes are those a whole frame of
// that length starts with.
func TestHeaderIsTheStartOfAFrame(t *testing.T) {
	t.Parallel()
	prefix := []byte(`{"type":`)
	payload := append(append([]byte{}, prefix...), make([]byte, 70000)...)
	whole := wsframe.Encode(wsframe.OpText, true, false, false, payload)
	h := wsframe.Header(wsframe.OpText, uint64(len(payload)), prefix)
	assert.Equal(t, whole[:len(h)], h)
	assert.Len(t, h, 2+8+4+len(prefix))
}
