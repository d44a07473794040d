package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Phase 1: hostile HTTP. Every case of hostilecases.go sends its share of
// the requests; the requests of all cases are shuffled together and sent
// by concurrent workers, so the categories hit the gateway at once. Each
// answer is tallied by its case: HTTP status, the first error's
// extensions.code, timeouts, failed connections, and anything an answer
// should never carry (a "Did you mean" suggestion with introspection
// restricted, a Go panic or stack).

// hostileTimeout bounds one request: REQUEST_TIMEOUT (8 s) plus the write
// deadline's 5 s, and some.
const hostileTimeout = 20 * time.Second

// hostileCase is one category of bad input: how many requests it sends
// (its weight; scaled to the phase's total) and the i-th one.
type hostileCase struct {
	name   string
	weight int
	build  func(i int) *http.Request
}

// tally is what one case's answers were.
type tally struct {
	sent      int
	statuses  map[int]int    // HTTP status
	codes     map[string]int // first error's extensions.code, "data" for an answer without errors
	timeouts  int
	connErrs  int      // no answer: the connection failed (other than a timeout)
	leaks     int      // an answer carrying a suggestion, a panic or a stack
	bytesIn   int64    // the answers' bodies, bytes
	samples   []string // the first 5xx, leak or connection error, for the report
	latencies []time.Duration
}

func (t *tally) sample(s string) {
	if len(t.samples) < 3 {
		t.samples = append(t.samples, s)
	}
}

// leakMarkers are what no answer to a stranger may contain: name
// suggestions (introspection is restricted: INTROSPECTION=permission) and
// Go internals.
var leakMarkers = []string{"Did you mean", "did you mean", "goroutine ", "panic", "runtime error", ".go:"}

// runHostile sends total requests over the cases with workers concurrent
// workers and returns each case's tally, in the cases' order.
func runHostile(cases []hostileCase, total, workers int) []*tally {
	weights := 0
	for _, c := range cases {
		weights += c.weight
	}
	type job struct{ c, i int }
	var jobs []job
	for ci, c := range cases {
		n := max(1, c.weight*total/weights)
		for i := range n {
			jobs = append(jobs, job{ci, i})
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(jobs), func(a, b int) { jobs[a], jobs[b] = jobs[b], jobs[a] })

	client := hostileClient(workers)
	tallies := make([]*tally, len(cases))
	for i := range tallies {
		tallies[i] = &tally{statuses: map[int]int{}, codes: map[string]int{}}
	}
	var mu sync.Mutex
	next := make(chan job)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range next {
				req := cases[j.c].build(j.i)
				t0 := time.Now()
				status, code, body, n, err := send(client, req)
				lat := time.Since(t0)
				mu.Lock()
				tallies[j.c].bytesIn += n
				record(tallies[j.c], status, code, body, err, lat)
				mu.Unlock()
			}
		})
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	// The workers' keep-alive connections would hold a goroutine each in
	// the gateway's "after" reading.
	client.CloseIdleConnections()
	return tallies
}

// hostileClient is the HTTP client of workers workers: no redirect
// followed, no compression asked for.
func hostileClient(workers int) *http.Client {
	return &http.Client{
		Timeout: hostileTimeout,
		Transport: &http.Transport{
			MaxIdleConns: workers * 2, MaxIdleConnsPerHost: workers * 2, IdleConnTimeout: time.Minute,
			DisableCompression: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// send does one request and reads its status, its first error code, its
// body (at most 64 KiB of it) and the body's whole length.
func send(client *http.Client, req *http.Request) (int, string, string, int64, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", "", 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	rest, _ := io.Copy(io.Discard, resp.Body)
	n := int64(len(b)) + rest
	if err != nil {
		return resp.StatusCode, "", string(b), n, err
	}
	return resp.StatusCode, errorCode(b), string(b), n, nil
}

// firstCode finds the first extensions code in a body cut short.
var firstCode = regexp.MustCompile(`"code":"([A-Z_]+)"`)

// errorCode is the first error's extensions.code of a GraphQL answer,
// "data" when it has none, "" when the body is not a GraphQL answer (or,
// for an answer longer than was read, the first code in what was).
func errorCode(body []byte) string {
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &r) != nil {
		if m := firstCode.FindSubmatch(body); m != nil {
			return string(m[1])
		}
		return ""
	}
	if len(r.Errors) == 0 {
		if len(r.Data) > 0 {
			return "data"
		}
		return ""
	}
	if c := r.Errors[0].Extensions.Code; c != "" {
		return c
	}
	return "(no code)"
}

func record(t *tally, status int, code, body string, err error, lat time.Duration) {
	t.sent++
	t.latencies = append(t.latencies, lat)
	if status == 0 {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.timeouts++
			t.sample("timeout: " + err.Error())
		} else {
			t.connErrs++
			t.sample("connection: " + err.Error())
		}
		return
	}
	t.statuses[status]++
	if code != "" {
		t.codes[code]++
	}
	if status >= 500 {
		t.sample(fmt.Sprintf("HTTP %d: %.300s", status, body))
	}
	for _, m := range leakMarkers {
		if strings.Contains(body, m) {
			t.leaks++
			t.sample(fmt.Sprintf("leak %q in HTTP %d: %.300s", m, status, body))
			break
		}
	}
}

// fiveXX counts a tally's HTTP 5xx answers.
func (t *tally) fiveXX() int {
	n := 0
	for s, c := range t.statuses {
		if s >= 500 {
			n += c
		}
	}
	return n
}

// mean is the tally's mean request time.
func (t *tally) mean() time.Duration {
	if len(t.latencies) == 0 {
		return 0
	}
	var sum time.Duration
	for _, l := range t.latencies {
		sum += l
	}
	return sum / time.Duration(len(t.latencies))
}

// slowest is the tally's longest request.
func (t *tally) slowest() time.Duration {
	var m time.Duration
	for _, l := range t.latencies {
		m = max(m, l)
	}
	return m
}
