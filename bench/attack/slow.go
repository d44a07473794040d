package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// The slow requests of the hostile phase, on raw TCP connections: headers
// that trickle in (slowloris), a body that trickles in but completes, a
// body that stalls after its first bytes, and a push whose body stalls.
// Each connection is held until the gateway answers or closes it; what
// the tally records is the answer's status (or a connection closed without
// one) and how long the gateway held the connection.

// slowWait bounds how long a slow connection waits for the gateway: the
// whole-body deadline (30 s) and some.
const slowWait = 40 * time.Second

// slowCase is one kind of slow request: what it writes, paced.
type slowCase struct {
	name string
	n    int
	// write sends the request over c, slowly; it returns when it stops
	// writing (the connection is then read for an answer).
	write func(c net.Conn)
}

func slowCases(host string) []slowCase {
	body := `{"query":"{ __typename }"}`
	head := func(path, contentType string, length int, extra string) string {
		return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nX-API-Key: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s\r\n",
			path, host, keyHostile, contentType, length, extra)
	}
	trickle := func(c net.Conn, s string, every time.Duration) {
		for i := range len(s) {
			if _, err := c.Write([]byte{s[i]}); err != nil {
				return
			}
			time.Sleep(every)
		}
	}
	return []slowCase{
		{"slow: headers trickle in (slowloris)", 3, func(c net.Conn) {
			trickle(c, head("/query", "application/json", len(body), strings.Repeat("X-Slow: 1\r\n", 20)), 300*time.Millisecond)
		}},
		{"slow: body trickles in, completes in ~2.5 s", 3, func(c net.Conn) {
			_, _ = c.Write([]byte(head("/query", "application/json", len(body), "")))
			trickle(c, body, 2500*time.Millisecond/time.Duration(len(body)))
		}},
		{"slow: body stalls after 10 bytes", 3, func(c net.Conn) {
			_, _ = c.Write([]byte(head("/query", "application/json", 1000, "") + body[:10]))
		}},
		{"slow: push body stalls", 3, func(c net.Conn) {
			req, _ := tanma.PushRequest("http://"+host+eventsPath, []byte(`{}`), sandbox.DefaultAppID,
				tanma.CorpID(sandbox.DefaultAppID), sandbox.DefaultAppKey, time.Now())
			var extra strings.Builder
			for _, h := range []string{tanma.HeaderAppID, tanma.HeaderTimestamp, tanma.HeaderVersion, tanma.HeaderSign} {
				fmt.Fprintf(&extra, "%s: %s\r\n", h, req.Header.Get(h))
			}
			_, _ = c.Write([]byte(head(eventsPath, "text/plain;charset=UTF-8", 100, extra.String()) + "AAAA"))
		}},
	}
}

// runSlow runs every slow case's connections at once and returns a tally
// per case (in order) once every connection has its answer or is closed.
func runSlow(host string) ([]slowCase, []*tally) {
	cases := slowCases(host)
	tallies := make([]*tally, len(cases))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for ci, sc := range cases {
		tallies[ci] = &tally{statuses: map[int]int{}, codes: map[string]int{}}
		for range sc.n {
			wg.Go(func() {
				status, held, err := slowOne(host, sc.write)
				mu.Lock()
				defer mu.Unlock()
				t := tallies[ci]
				t.sent++
				t.latencies = append(t.latencies, held)
				switch {
				case status > 0:
					t.statuses[status]++
					if status >= 500 {
						t.sample(fmt.Sprintf("HTTP %d after %v", status, held))
					}
				case err != nil && isTimeout(err):
					t.timeouts++
					t.sample(fmt.Sprintf("no answer within %v", slowWait))
				default:
					t.connErrs++ // closed by the gateway without an answer
				}
			})
		}
	}
	wg.Wait()
	return cases, tallies
}

// slowOne opens a connection, writes with write and reads the answer's
// status line: it returns the status (0: none), how long the connection
// was held and the read's error.
func slowOne(host string, write func(net.Conn)) (int, time.Duration, error) {
	t0 := time.Now()
	c, err := net.DialTimeout("tcp", host, 5*time.Second)
	if err != nil {
		return 0, 0, err
	}
	defer c.Close()
	_ = c.SetDeadline(t0.Add(slowWait))
	write(c)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, time.Since(t0), err
	}
	resp.Body.Close()
	return resp.StatusCode, time.Since(t0), nil
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
