package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Pushes: when its data changes, the sandbox POSTs the event to the address
// set with SetPushTarget, as Tanma pushes to an integrator (see
// ../shared/tanma-api.md, "Push (webhook) events", and tanma/push.go): the
// headers appId, timestamp, version and sign, and the Base64 of the
// AES-CTR-encrypted envelope {noise, msgId, type, content}, signed and
// encrypted with the sandbox's own app id, app key and corp id
// (tanma.CorpID of the app id).
//
// Delivery is asynchronous: a change queues its pushes and one goroutine per
// server sends them, in msgId order, after the call that caused them has
// been answered. A push is acknowledged only by HTTP 200 with a body that is
// exactly the envelope's noise in decimal (surrounding whitespace ignored);
// anything else is re-sent with a doubling backoff, each attempt re-signed
// at the time it is made, until the attempts run out and the push is given
// up. The goroutine exists only while pushes are pending, so an idle server
// holds none; Close stops a busy one.
//
// Sandbox choice: Tanma documents neither its retry schedule nor the exact
// acknowledgement body (tanma-api.md: "echo noise as the plain decimal
// body"); the sandbox makes PushAttempts attempts (default 5) PushBackoff
// apart (default 100ms, doubling, at most a minute), each with a 5 s
// timeout, and does not follow redirects (a 3xx is not an
// acknowledgement). Tanma takes an address that keeps failing offline; the
// sandbox never does, it gives up push by push.

// PushStats counts a server's pushes (Server.PushStats).
type PushStats struct {
	Sent         int64 `json:"sent"`         // pushes made: one per event while a target was set
	Attempts     int64 `json:"attempts"`     // HTTP requests made (a re-sent push counts once per request)
	Acknowledged int64 `json:"acknowledged"` // pushes the receiver acknowledged
	GivenUp      int64 `json:"givenUp"`      // pushes abandoned: out of attempts, over the queue cap, or pending at Close
	Pending      int64 `json:"pending"`      // pushes neither acknowledged nor given up yet
}

const (
	defaultPushAttempts = 5
	defaultPushBackoff  = 100 * time.Millisecond
	maxPushBackoff      = time.Minute
	pushTimeout         = 5 * time.Second
	// maxPendingPushes caps the queue. Sandbox choice: a push made while
	// this many are pending is given up at once (counted, never sent), so a
	// receiver that is down cannot make the sandbox's memory grow unbounded.
	maxPendingPushes = 10_000
	maxAckBody       = 1 << 10 // what the sandbox reads of an answer
)

// pusher is a server's push state; its zero value is made ready by init.
type pusher struct {
	mu      sync.Mutex
	target  string
	queue   []*message    // made, not yet being delivered
	pending int64         // queue plus the push being delivered
	idle    chan struct{} // closed while nothing is pending
	running bool          // the delivery goroutine is running
	closed  bool
	lastID  int64 // the last msgId given
	stats   PushStats

	ctx    context.Context // ended by Close
	stop   context.CancelFunc
	worker sync.WaitGroup
	client *http.Client
}

// message is one push: its envelope's plaintext and what acknowledges it.
type message struct {
	url   string
	noise string // the envelope's noise as decimal text
	plain []byte
}

// event is a change to push: its type and content. EventID, when set, is
// also written beside content (see contactEdit).
type event struct {
	Type    string
	EventID string
	Content any
}

// pushEnvelope is the plaintext of a push. noise and msgId are int64s,
// which encoding/json writes with strconv, exactly (never via float64).
type pushEnvelope struct {
	Noise   int64  `json:"noise"`
	MsgID   int64  `json:"msgId"`
	Type    string `json:"type"`
	EventID string `json:"eventId,omitempty"`
	Content any    `json:"content"`
}

func (p *pusher) init() {
	p.idle = make(chan struct{})
	close(p.idle)
	p.ctx, p.stop = context.WithCancel(context.Background())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	p.client = &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// SetPushTarget sets the address the sandbox pushes its changes to; ""
// (the default) turns pushing off. Safe while serving. Pushes already made
// keep the address they were made for.
func (s *Server) SetPushTarget(url string) {
	s.init()
	s.push.mu.Lock()
	defer s.push.mu.Unlock()
	s.push.target = url
}

// PushTarget returns the address set with SetPushTarget.
func (s *Server) PushTarget() string {
	s.init()
	s.push.mu.Lock()
	defer s.push.mu.Unlock()
	return s.push.target
}

// PushStats returns the push counters, all taken at one instant.
func (s *Server) PushStats() PushStats {
	s.init()
	s.push.mu.Lock()
	defer s.push.mu.Unlock()
	st := s.push.stats
	st.Pending = s.push.pending
	return st
}

// WaitPushes returns once no push is pending (each acknowledged or given
// up), or ctx's error if ctx ends first. A push made by a call that has
// been answered is pending until then, so a test can make a change, call
// WaitPushes and read what its receiver got.
func (s *Server) WaitPushes(ctx context.Context) error {
	s.init()
	s.push.mu.Lock()
	idle := s.push.idle
	s.push.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close ends the sandbox's background work: the pending pushes are given
// up (the one in flight is cancelled), the delivery goroutine has returned
// and the push connections are closed when Close returns, and no push is
// made afterwards. The API keeps answering; it holds nothing else to
// release. Close may be called more than once.
func (s *Server) Close() {
	s.init()
	p := &s.push
	p.mu.Lock()
	p.closed = true
	if n := int64(len(p.queue)); n > 0 {
		p.queue = nil
		p.stats.GivenUp += n
		p.settle(n)
	}
	p.mu.Unlock()
	p.stop()
	p.worker.Wait()
	p.client.CloseIdleConnections()
}

// settle takes n pushes off pending; p.mu is held.
func (p *pusher) settle(n int64) {
	p.pending -= n
	if p.pending == 0 {
		close(p.idle)
	}
}

// emit queues a push of each event and returns their msgIds (none when no
// target is set). Writes call it with the write lock held, so msgIds follow
// the order of the changes. It never blocks on delivery.
//
// Sandbox choice: msgIds count up by one from the time of the server's
// first push in microseconds, so a restarted sandbox does not reuse the
// msgIds it pushed before (a receiver keying replays by msgId would drop
// them).
func (s *Server) emit(events []event) []string {
	p := &s.push
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.target == "" || p.closed {
		return nil
	}
	ids := make([]string, 0, len(events))
	for _, e := range events {
		if p.lastID == 0 {
			p.lastID = max(s.now().UnixMicro(), 1)
		}
		p.lastID++
		// Noise is drawn from the whole int64 range, as Tanma's examples
		// (beyond 2^53, negative) show.
		env := pushEnvelope{Noise: int64(rand.Uint64()), MsgID: p.lastID, Type: e.Type, EventID: e.EventID, Content: e.Content}
		ids = append(ids, strconv.FormatInt(env.MsgID, 10))
		p.stats.Sent++
		if p.pending >= maxPendingPushes {
			p.stats.GivenUp++
			continue
		}
		p.queue = append(p.queue, &message{url: p.target, noise: strconv.FormatInt(env.Noise, 10), plain: marshalEnvelope(env)})
		if p.pending == 0 {
			p.idle = make(chan struct{})
		}
		p.pending++
		if !p.running {
			p.running = true
			p.worker.Add(1)
			go s.deliverAll()
		}
	}
	return ids
}

// marshalEnvelope writes an envelope as UTF-8 JSON (no \u escapes).
func marshalEnvelope(env pushEnvelope) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(env); err != nil {
		panic(err) // contents are plain structs of strings and numbers
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// deliverAll sends the queued pushes one after the other until the queue
// is empty.
func (s *Server) deliverAll() {
	p := &s.push
	defer p.worker.Done()
	for {
		p.mu.Lock()
		if len(p.queue) == 0 {
			p.running = false
			p.mu.Unlock()
			return
		}
		m := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.mu.Unlock()

		acked := s.deliver(m)

		p.mu.Lock()
		if acked {
			p.stats.Acknowledged++
		} else {
			p.stats.GivenUp++
		}
		p.settle(1)
		p.mu.Unlock()
	}
}

// deliver sends one push until it is acknowledged or the attempts run out.
func (s *Server) deliver(m *message) bool {
	p := &s.push
	wait := s.pushBackoff()
	for i := range s.pushAttempts() {
		if i > 0 {
			if !sleep(p.ctx, wait) {
				return false
			}
			wait = min(2*wait, maxPushBackoff)
		}
		if p.ctx.Err() != nil {
			return false
		}
		p.mu.Lock()
		p.stats.Attempts++
		p.mu.Unlock()
		if s.attempt(m) {
			return true
		}
	}
	return false
}

// attempt makes one request, signed now, and reports whether it was
// acknowledged.
func (s *Server) attempt(m *message) bool {
	appID := s.appID()
	req, err := tanma.PushRequest(m.url, m.plain, appID, tanma.CorpID(appID), s.appKey(), s.now())
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(s.push.ctx, pushTimeout)
	defer cancel()
	resp, err := s.push.client.Do(req.WithContext(ctx))
	if err != nil {
		return false
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAckBody))
	return err == nil && resp.StatusCode == http.StatusOK && strings.TrimSpace(string(body)) == m.noise
}

func (s *Server) pushAttempts() int {
	if s.PushAttempts <= 0 {
		return defaultPushAttempts
	}
	return s.PushAttempts
}

func (s *Server) pushBackoff() time.Duration {
	if s.PushBackoff <= 0 {
		return defaultPushBackoff
	}
	return s.PushBackoff
}

// Push contents, in Tanma's wire shapes (tanma.ContactEdit,
// tanma.CustomerTagChange, tanma.NewCustomer, tanma.CorpTagChange read
// them).

// contactEditJSON is the content of customer_contact_edit.
type contactEditJSON struct {
	CustomerID string `json:"customerId"`
	ContactID  string `json:"contactId"`
	EventID    string `json:"eventId"`
}

// contactEdit is the push of a change to a customer made through the API
// (update-by-id, transfer).
//
// Sandbox choice: Tanma documents no push for writes made through its own
// OpenAPI; the sandbox pushes customer_contact_edit for each customer an
// update-by-id or a transfer changed, and nothing for add-clue (a lead has
// no WeChat relation). Tanma's example writes customerId and contactId as
// decimal strings and eventId (an 18-character token) beside content; the
// sandbox does the same and puts eventId in content too, where
// tanma.ContactEdit reads it. The sandbox has no contacts: contactId is "".
func contactEdit(id tanma.ID) event {
	eventID := randomToken("", 18)
	return event{Type: tanma.PushContactEdit, EventID: eventID, Content: contactEditJSON{CustomerID: id.String(), ContactID: "", EventID: eventID}}
}

// randomToken is prefix and n random base62 characters.
func randomToken(prefix string, n int) string {
	var b strings.Builder
	b.WriteString(prefix)
	for range n {
		b.WriteByte(base62[rand.IntN(len(base62))])
	}
	return b.String()
}
