package events

import (
	"context"
	"sync"
	"time"
)

// Bounds of what waits for one subscriber.
const (
	// MaxPending is how many events may wait for one subscriber once
	// coalesced (the events about one customer wait as one). One more, and
	// they are all dropped for one RESYNC.
	MaxPending = 32
	// ResyncQuiet and ResyncMaxDelay time a RESYNC owed: it is sent once no
	// event has come for ResyncQuiet (the burst is over, so the refetch it
	// asks for sees all of it), or ResyncMaxDelay after it became owed,
	// whichever comes first. A long burst thus costs a subscriber a RESYNC
	// (and its client a refetch) every ResyncMaxDelay at most.
	ResyncQuiet    = 250 * time.Millisecond
	ResyncMaxDelay = 2 * time.Second
)

// Subscription is one subscriber's events waiting to be sent to it.
//
// Events about the same customer that wait (not yet taken by Next)
// coalesce into one: the latest, in the place the first of them took.
// The tag library's events coalesce alike (the latest carries the whole
// library as it is now), and so do a new customer's repeated pushes;
// anything else waits on its own. At most MaxPending wait.
//
// When one more would have to wait, or an event taken could not be served
// (Resync), the subscriber owes a RESYNC: what waits is dropped, and so is
// every event that comes until Next hands the RESYNC out, because the
// client refetches once it has it, and that refetch shows every change
// made before. Events that come after it wait as before. A subscription
// never ends for falling behind.
type Subscription struct {
	bus   *Bus
	kinds []Kind
	wake  chan struct{} // signalled when something changed (buffer of one)

	mu      sync.Mutex
	order   []any             // the keys of pending, first come first
	pending map[any]*Delivery // by coalesceKey
	owed    time.Time         // when a RESYNC became owed; zero: none
	last    time.Time         // when the latest event came
	ended   bool
}

// Next waits for what the subscriber is to be sent next: an event, or a
// RESYNC (resync true, d nil). ok is false once the subscription has ended
// (Close, the bus closing) or ctx has.
func (s *Subscription) Next(ctx context.Context) (d *Delivery, resync, ok bool) {
	for {
		wait, d, resync, ok := s.take()
		if ok || wait == 0 {
			if resync && s.bus.OnResync != nil {
				s.bus.OnResync()
			}
			return d, resync, ok
		}
		var timer *time.Timer
		var due <-chan time.Time
		if wait > 0 {
			timer = time.NewTimer(wait)
			due = timer.C
		}
		select {
		case <-s.wake:
		case <-due:
		case <-ctx.Done():
			return nil, false, false
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// take hands out what is due: a RESYNC owed once its time has come, else
// the first event waiting. Otherwise it says how long to wait (-1: until
// woken; 0 with ok false: the subscription has ended).
func (s *Subscription) take() (wait time.Duration, d *Delivery, resync, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.ended:
		return 0, nil, false, false
	case !s.owed.IsZero():
		due := s.last.Add(s.bus.quiet)
		if limit := s.owed.Add(s.bus.maxDelay); limit.Before(due) {
			due = limit
		}
		if wait := time.Until(due); wait > 0 {
			return wait, nil, false, false
		}
		s.owed = time.Time{}
		return 0, nil, true, true
	case len(s.order) > 0:
		k := s.order[0]
		s.order = s.order[1:]
		d := s.pending[k]
		delete(s.pending, k)
		return 0, d, false, true
	}
	return -1, nil, false, false
}

// offer makes d wait for the subscriber, at now.
func (s *Subscription) offer(d *Delivery, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	s.last = now
	k := d.coalesceKey()
	switch {
	case !s.owed.IsZero():
		return // the RESYNC owed covers it (its timer notices the later s.last)
	case s.pending[k] != nil:
		s.pending[k] = d // coalesced
	case len(s.order) >= MaxPending:
		s.oweLocked(now)
	default:
		s.order = append(s.order, k)
		s.pending[k] = d
	}
	s.signal()
}

// Resync drops what waits and makes the subscriber owe a RESYNC: an event
// it took could not be served (its customer could not be read in time).
func (s *Subscription) Resync() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ended {
		s.oweLocked(time.Now())
		s.signal()
	}
}

// oweLocked drops what waits for a RESYNC owed since now (or before);
// s.mu is held.
func (s *Subscription) oweLocked(now time.Time) {
	if s.owed.IsZero() {
		s.owed = now
	}
	clear(s.pending)
	s.order = nil
}

// Close ends the subscription.
func (s *Subscription) Close() {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	s.bus.drop(s)
}

// end marks the subscription ended and wakes Next.
func (s *Subscription) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ended = true
	clear(s.pending)
	s.order = nil
	s.signal()
}

// signal wakes Next, if it waits; s.mu is held.
func (s *Subscription) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// newCustomerKey coalesces a new customer's repeated pushes.
type newCustomerKey struct{ owner, externalUserID string }

// coalesceKey is what events waiting together collapse by: the customer,
// the tag library, a new customer's owner and WeChat id; an event naming
// none of them is its own.
func (d *Delivery) coalesceKey() any {
	switch {
	case d.Kind == TagLibrary:
		return TagLibrary
	case d.CustomerID > 0:
		return d.CustomerID
	case d.ExternalUserID != "":
		return newCustomerKey{d.Owner, d.ExternalUserID}
	}
	return d
}
