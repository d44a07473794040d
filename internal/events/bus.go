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
	// OnDrop (may be nil) hears of a subscription dropped for not keeping
	// up.
	OnDrop func()

	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool
	stop   func()
}

// SubscriptionBuffer is how many events a subscription may have waiting;
// one that falls further behind is dropped (its channel closed) rather than
// buffered without bound.
const SubscriptionBuffer = 32

// NewBus returns a bus that relays through relay (nil: this replica only)
// and runs correct for every event on every replica before subscribers hear
// of it; here says whether the event was published on this replica.
func NewBus(relay Relay, correct func(ev Event, here bool), log *slog.Logger) *Bus {
	b := &Bus{relay: relay, correct: correct, log: log, subs: map[*Subscription]struct{}{}, id: rand.Text()}
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
// that wants its kind, dropping those that have fallen behind.
func (b *Bus) deliver(ev Event) {
	if b.correct != nil {
		b.correct(ev, ev.Origin == b.id)
	}
	d := &Delivery{Event: ev}
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		if !slices.Contains(s.kinds, ev.Kind) {
			continue
		}
		select {
		case s.c <- d:
		default:
			s.behind = true
			b.drop(s)
			b.log.Warn("subscription dropped: it did not keep up with the events", "kind", string(ev.Kind))
			if b.OnDrop != nil {
				b.OnDrop()
			}
		}
	}
}

// Subscribe returns a subscription to the events of the given kinds. It
// ends (its channel closes) when Close is called, when it falls behind, or
// when the bus closes.
func (b *Bus) Subscribe(kinds ...Kind) *Subscription {
	s := &Subscription{bus: b, kinds: kinds, c: make(chan *Delivery, SubscriptionBuffer)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(s.c)
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
	if _, ok := b.subs[s]; ok {
		delete(b.subs, s)
		close(s.c)
	}
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

// Subscription is one subscriber's stream of events.
type Subscription struct {
	bus    *Bus
	kinds  []Kind
	c      chan *Delivery
	behind bool // dropped for falling behind; guarded by bus.mu
}

// C is the stream; it is closed when the subscription ends.
func (s *Subscription) C() <-chan *Delivery { return s.c }

// FellBehind reports whether the subscription ended because it fell more
// than SubscriptionBuffer events behind (rather than by Close or the bus
// closing): its subscriber missed events and should be told so.
func (s *Subscription) FellBehind() bool {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	return s.behind
}

// Close ends the subscription.
func (s *Subscription) Close() {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	s.bus.drop(s)
}

// Delivery is an event as this replica's subscribers share it: what is
// read for it (the customer as it is now) is read once, whatever the number
// of subscribers.
type Delivery struct {
	Event
	once     sync.Once
	customer *tanma.Customer
	err      error
}

// CustomerReadTimeout bounds the one read of an event's customer.
const CustomerReadTimeout = 5 * time.Second

// Customer returns the event's customer as read by read, once per delivery:
// the first subscriber to ask reads it (detached from its own context, so
// its leaving does not fail the others), the rest wait for that read.
func (d *Delivery) Customer(ctx context.Context, read func(context.Context) (*tanma.Customer, error)) (*tanma.Customer, error) {
	d.once.Do(func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), CustomerReadTimeout)
		defer cancel()
		d.customer, d.err = read(rctx)
	})
	return d.customer, d.err
}
