package events

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestSlowPushBodyIsCut: a push whose body does not arrive within
// BodyTimeout of its headers is cut and answered 408, whether it trickles
// in or stalls, over a real connection; a body sent in time is applied,
// even when applying it takes longer than the bound (the bound is lifted
// once the body is read, so it never ends the push's context).
func TestSlowPushBodyIsCut(t *testing.T) {
	t.Parallel()
	const bound = 300 * time.Millisecond
	tests := []struct {
		name       string
		every      time.Duration // pause before each body byte (0: the whole body at once)
		stall      bool          // send no body byte at all
		slowApply  bool          // Apply takes longer than the bound
		want       int
		wantBefore time.Duration // the answer comes before this, counted from the headers
	}{
		{name: "body at once", want: http.StatusOK, wantBefore: 2 * time.Second},
		{name: "body at once, slow apply", slowApply: true, want: http.StatusOK, wantBefore: 3 * time.Second},
		{name: "body trickles", every: 40 * time.Millisecond, want: http.StatusRequestTimeout, wantBefore: 2 * time.Second},
		{name: "body stalls", stall: true, want: http.StatusRequestTimeout, wantBefore: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newReceiverEnv()
			e.rc.BodyTimeout = bound
			var applyErr error
			if tt.slowApply {
				apply := e.rc.Apply
				e.rc.Apply = func(ctx context.Context, ev Event) error {
					time.Sleep(3 * bound)
					e.mu.Lock()
					applyErr = ctx.Err()
					e.mu.Unlock()
					return apply(ctx, ev)
				}
			}
			srv := httptest.NewServer(e.rc)
			t.Cleanup(srv.Close)

			body := `{"noise":7,"msgId":1,"type":"change_customer_tag","content":{"customerId":398604120668224,"qwSalesId":"dowen","tagId":"12","qwTagId":"et1","changeType":"del_qw_tag"}}`
			req, err := tanma.PushRequest(srv.URL+"/tanma/events", []byte(body), "zc_test", "zc_test", "zc_test", time.UnixMilli(officialTime))
			require.NoError(t, err)
			sealed, err := io.ReadAll(req.Body)
			require.NoError(t, err)
			if tt.every > 0 {
				require.Greater(t, time.Duration(len(sealed))*tt.every, 3*bound, "the trickle outlasts the bound")
			}

			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			var head bytes.Buffer
			fmt.Fprintf(&head, "POST /tanma/events HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", srv.Listener.Addr(), len(sealed))
			for name, values := range req.Header {
				fmt.Fprintf(&head, "%s: %s\r\n", name, strings.Join(values, ","))
			}
			head.WriteString("\r\n")
			_, err = conn.Write(head.Bytes())
			require.NoError(t, err)
			sent := time.Now()

			go func() { // the body, as the case sends it, until the answer comes
				switch {
				case tt.stall:
				case tt.every == 0:
					_, _ = conn.Write(sealed)
				default:
					for _, b := range sealed {
						time.Sleep(tt.every)
						if _, err := conn.Write([]byte{b}); err != nil {
							return
						}
					}
				}
			}()
			require.NoError(t, conn.SetReadDeadline(time.Now().Add(tt.wantBefore+time.Second)))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			require.NoError(t, err, "an answer before the whole body")
			defer resp.Body.Close()
			took := time.Since(sent)
			e.mu.Lock() // the handler's writes are not ordered before ours by the connection
			defer e.mu.Unlock()
			assert.Equal(t, tt.want, resp.StatusCode)
			assert.Less(t, took, tt.wantBefore)
			if tt.want == http.StatusRequestTimeout {
				assert.GreaterOrEqual(t, took, bound, "not before the bound")
				assert.Empty(t, e.applied)
				assert.Contains(t, e.logs.String(), "body too slow")
			} else {
				assert.Len(t, e.applied, 1)
				assert.NoError(t, applyErr, "applied on a live context")
			}
		})
	}
}
