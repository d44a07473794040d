package app

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestSlowPushBodyIsCutByTheGateway: at the gateway's own listener, a
// push whose signed headers arrive at once and whose body then trickles
// in (a byte every 100 ms) is answered 408 once events.DefaultBodyTimeout
// has passed, long before the body would be whole, and is not applied.
func TestSlowPushBodyIsCutByTheGateway(t *testing.T) {
	t.Parallel()
	g := startGateway(t, &sandbox.Server{}, nil, nil)
	plain := `{"noise":7,"msgId":4242,"type":"change_customer_tag","content":{"customerId":398604120668224,"qwSalesId":"dowen","tagId":"12","qwTagId":"et1","changeType":"del_qw_tag"}}`
	req, err := tanma.PushRequest(g.url+"/tanma/events", []byte(plain), sandbox.DefaultAppID,
		tanma.CorpID(sandbox.DefaultAppID), sandbox.DefaultAppKey, time.Now())
	require.NoError(t, err)
	sealed, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	const every = 100 * time.Millisecond
	require.Greater(t, time.Duration(len(sealed))*every, 2*events.DefaultBodyTimeout, "the trickle outlasts the bound")

	conn, err := net.Dial("tcp", req.URL.Host)
	require.NoError(t, err)
	defer conn.Close()
	var head bytes.Buffer
	fmt.Fprintf(&head, "POST /tanma/events HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", req.URL.Host, len(sealed))
	for name, values := range req.Header {
		fmt.Fprintf(&head, "%s: %s\r\n", name, strings.Join(values, ","))
	}
	head.WriteString("\r\n")
	_, err = conn.Write(head.Bytes())
	require.NoError(t, err)
	sent := time.Now()
	go func() {
		for _, b := range sealed {
			time.Sleep(every)
			if _, err := conn.Write([]byte{b}); err != nil {
				return
			}
		}
	}()

	require.NoError(t, conn.SetReadDeadline(time.Now().Add(events.DefaultBodyTimeout+3*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "an answer before the whole body")
	resp.Body.Close()
	took := time.Since(sent)
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	assert.GreaterOrEqual(t, took, events.DefaultBodyTimeout)
	assert.Less(t, took, events.DefaultBodyTimeout+2*time.Second)
	require.NoError(t, g.stop())
	refused := logLines(t, g.out.String(), "push refused")
	require.Len(t, refused, 1, g.out.String())
	assert.Equal(t, "body too slow", refused[0]["reason"])
	assert.Empty(t, logLines(t, g.out.String(), "push event"), "not applied")
}
