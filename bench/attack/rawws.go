package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/tanma-gql/gateway/internal/wsframe"
)

// rawWS is a WebSocket connection spoken byte by byte, for what no client
// library sends: a frame header whose payload never follows, a text frame
// that is not UTF-8, an unmasked or compressed frame, a message split
// into continuation frames past the size limit.
type rawWS struct {
	conn  net.Conn
	br    *bufio.Reader
	acked bool // a connection_ack arrived
}

// dialRaw upgrades a TCP connection from source to the gateway's /query
// by hand (graphql-transport-ws) with the headers h; a refused upgrade
// returns its HTTP status.
func dialRaw(host, source string, h http.Header) (*rawWS, int, error) {
	return dialRawPipelined(host, source, h, nil)
}

// dialRawPipelined is dialRaw that sends the frames of pipelined right
// behind the upgrade request, before its answer, as a client that does not
// wait for the 101 may.
func dialRawPipelined(host, source string, h http.Header, pipelined []message) (*rawWS, int, error) {
	d := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
	conn, err := d.Dial("tcp", host)
	if err != nil {
		return nil, 0, err
	}
	req, _ := wsframe.UpgradeRequest("http://"+host+"/query", h)
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	var out bytes.Buffer
	_ = req.Write(&out)
	for _, m := range pipelined {
		b, _ := json.Marshal(m)
		out.Write(wsframe.Text(string(b)))
	}
	if _, err := conn.Write(out.Bytes()); err != nil {
		conn.Close()
		return nil, 0, err
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		conn.Close()
		return nil, 0, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, resp.StatusCode, fmt.Errorf("upgrade answered %s", resp.Status)
	}
	_ = conn.SetDeadline(time.Time{})
	return &rawWS{conn: conn, br: br}, resp.StatusCode, nil
}

// frame writes one frame: fin, rsv1 (compressed), opcode, masked unless
// unmasked is set.
func (r *rawWS) frame(opcode byte, fin, rsv1, unmasked bool, payload []byte) error {
	_ = r.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := r.conn.Write(wsframe.Encode(opcode, fin, rsv1, unmasked, payload))
	return err
}

// text sends a whole, masked text frame.
func (r *rawWS) text(s string) error { return r.frame(1, true, false, false, []byte(s)) }

// json sends a message as a text frame.
func (r *rawWS) json(m message) error {
	b, _ := json.Marshal(m)
	return r.text(string(b))
}

// header sends only the header of a masked frame announcing length
// payload bytes, then the first of them (prefix).
func (r *rawWS) header(opcode byte, length uint64, prefix []byte) error {
	_, err := r.conn.Write(wsframe.Header(opcode, length, prefix))
	return err
}

// readFrame reads the gateway's next frame (never masked, never split by
// the gateway for messages this small) within d.
func (r *rawWS) readFrame(d time.Duration) (opcode byte, payload []byte, err error) {
	_ = r.conn.SetReadDeadline(time.Now().Add(d))
	return wsframe.Read(r.br, 1<<20)
}

// next reads the next message (text frame) within d, answering pings.
func (r *rawWS) next(d time.Duration) (message, error) {
	deadline := time.Now().Add(d)
	for {
		op, p, err := r.readFrame(time.Until(deadline))
		if err != nil {
			return message{}, err
		}
		switch op {
		case 1:
			var m message
			if err := json.Unmarshal(p, &m); err != nil {
				return message{}, err
			}
			if m.Type == "ping" {
				_ = r.json(message{Type: "pong"})
				continue
			}
			if m.Type == "connection_ack" {
				r.acked = true
			}
			return m, nil
		case 8:
			return message{}, closeFrame(p)
		}
	}
}

// closeFrame is the error a close frame ends a read with.
type closeFrame []byte

func (c closeFrame) Error() string { return fmt.Sprintf("closed with %d", c.code()) }

func (c closeFrame) code() int {
	if len(c) < 2 {
		return 1005 // no status
	}
	return int(binary.BigEndian.Uint16(c))
}

// closeCode reads until the gateway closes, within d, and returns its
// close code: -1 when the connection is still open after d, 0 when it
// ended without a close frame; messages counts the text messages read
// before (errors among them in errs).
func (r *rawWS) closeCode(d time.Duration) (code, messages, errs int) {
	deadline := time.Now().Add(d)
	for {
		m, err := r.next(time.Until(deadline))
		var cf closeFrame
		switch {
		case errors.As(err, &cf):
			return cf.code(), messages, errs
		case err != nil && isTimeout(err):
			return -1, messages, errs
		case err != nil:
			return 0, messages, errs
		}
		messages++
		if m.refused() {
			errs++
		}
	}
}

// init sends connection_init with payload and waits for the ack.
func (r *rawWS) init(payload map[string]any) error {
	p, _ := json.Marshal(payload)
	if err := r.json(message{Type: "connection_init", Payload: p}); err != nil {
		return err
	}
	m, err := r.next(5 * time.Second)
	if err != nil {
		return err
	}
	if m.Type != "connection_ack" {
		return fmt.Errorf("answered %s, not connection_ack", m.Type)
	}
	return nil
}

func (r *rawWS) close() { _ = r.conn.Close() }
