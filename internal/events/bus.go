package events

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Relay carries events between replicas (internal/redisstore, on Redis
// Pub/Sub): what one replica publishes, every replica (itself included)
// hears.
type Relay interface {
	PublishEvent(ctx context.Context, payload []byte) error
	ListenEvents(hear func(payload []byte)) (stop func())
}

// Bus carries events to every replica and, on each, first corrects the
// caches (correct) and then tells the subscriptions. Without a Relay, or
// while the Relay fails, events stay on this replica.
type Bus struct {
	relay   Relay
	correct func(ev Event, here bool)
	id      string // this bus's, stamped on what it publishes
	log     *slog.Logger
	// OnResync (may be nil) hears of each RESYNC a subscription is sent
	// (see Subscription).
	OnResync func()

	// quiet and maxDelay time a RESYNC owed (ResyncQuiet, ResyncMaxDelay;
	// tests shorten them).
	quiet, maxDelay time.Duration

	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	reads  map[tanma.ID]*customerRead // per customer, the read not yet started that its next event joins
	closed bool
	stop   func()
}

// maxUnstartedReads bounds Bus.reads: reads of events no subscriber has
// read (yet, or at all: none selects the customer). Past it they are
// forgotten, and the next event about each customer starts a read of its
// own: less sharing, nothing wrong.
const maxUnstartedReads = 4096

// NewBus returns a bus that relays through relay (nil: this replica only)
// and runs correct for every event on every replica before subscribers hear
// of it; here says whether the event was published on this replica.
func NewBus(relay Relay, correct func(ev Event, here bool), log *slog.Logger) *Bus {
	b := &Bus{relay: relay, correct: correct, log: log, subs: map[*Subscription]struct{}{}, reads: map[tanma.ID]*customerRead{},
		id: rand.Text(), quiet: ResyncQuiet, maxDelay: ResyncMaxDelay}
	if relay != nil {
		b.stop = relay.ListenEvents(b.hear)
	}
	return b
}

// Publish sends an event to every replica. When the relay fails, this
// replica still corrects its caches and tells its subscribers; the others
// keep their copies until they expire, as they would without Redis.
func (b *Bus) Publish(ctx context.Context, ev Event) {
	ev.Origin = b.id
	if b.relay != nil {
		payload, _ := json.Marshal(ev) // plain strings and numbers: never fails
		err := b.relay.PublishEvent(ctx, payload)
		if err == nil {
			return // heard back through ListenEvents, like every replica
		}
		b.log.Warn("event not relayed to the other replicas: handled here only", "kind", string(ev.Kind), "msg_id", ev.MsgID, "err", err.Error())
	}
	b.deliver(ev)
}

// hear is an event relayed from some replica.
func (b *Bus) hear(payload []byte) {
	var ev Event
	if err := json.Unmarshal(payload, &ev); err != nil || ev.Kind == "" {
		b.log.Warn("relayed event unreadable: ignored")
		return
	}
	b.deliver(ev)
}

// deliver corrects the caches, then hands the event to every subscription
// that wants its kind: it waits there, coalesced with the events about the
// same customer that wait too (see Subscription).
func (b *Bus) deliver(ev Event) {
	if b.correct != nil {
		b.correct(ev, ev.Origin == b.id)
	}
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	var d *Delivery
	for s := range b.subs {
		if !slices.Contains(s.kinds, ev.Kind) {
			continue
		}
		if d == nil {
			d = &Delivery{Event: ev, read: b.readFor(ev)}
		}
		s.offer(d, now)
	}
}

// readFor is the read of ev's customer that ev's delivery shares: the one
// not yet started for an earlier event about the same customer (it starts
// after ev came, so it shows ev's change too), else a new one; nil when ev
// names no customer. b.mu is held.
func (b *Bus) readFor(ev Event) *customerRead {
	id := ev.CustomerID
	if id <= 0 {
		return nil
	}
	if r := b.reads[id]; r != nil {
		return r
	}
	if len(b.reads) >= maxUnstartedReads {
		clear(b.reads)
	}
	r := &customerRead{}
	r.onStart = func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.reads[id] == r {
			delete(b.reads, id) // later events need a read of their own
		}
	}
	b.reads[id] = r
	return r
}

// Subscribe returns a subscription to the events of the given kinds. It
// ends (Next reports it) when Close is called or when the bus closes.
func (b *Bus) Subscribe(kinds ...Kind) *Subscription {
	s := &Subscription{bus: b, kinds: kinds, pending: map[any]*Delivery{}, wake: make(chan struct{}, 1)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.end()
		return s
	}
	b.subs[s] = struct{}{}
	return s
}

// Subscribers is how many subscriptions are open on this replica.
func (b *Bus) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// drop ends a subscription; b.mu is held.
func (b *Bus) drop(s *Subscription) {
	delete(b.subs, s)
	s.end()
}

// Close ends every subscription and stops hearing other replicas: at
// shutdown, so subscribers are told the stream ended.
func (b *Bus) Close() {
	b.mu.Lock()
	b.closed = true
	for s := range b.subs {
		b.drop(s)
	}
	stop := b.stop
	b.stop = nil
	b.mu.Unlock()
	if stop != nil {
		stop()
	}
}
