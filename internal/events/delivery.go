package events

import (
	"context"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Delivery is an event as this replica's subscribers share it: what is
// read for it (the customer as it is now) is read once, whatever the number
// of subscribers, and shared with the other events about the customer that
// came before that read started.
type Delivery struct {
	Event
	read *customerRead // nil: own (a delivery made outside a bus)
	own  customerRead
}

// customerRead is one read of a customer, made by the first subscriber to
// ask and shared by the others.
type customerRead struct {
	once     sync.Once
	onStart  func() // (may be nil) told when the read starts: no event joins it after
	customer *tanma.Customer
	err      error
}

// CustomerReadTimeout bounds the one read of an event's customer: the
// wait for the upstream quota included (a read that could only be made
// later fails at once), so a subscriber whose events cannot be read within
// it is sent a RESYNC instead (graph's customerChanged).
const CustomerReadTimeout = 5 * time.Second

// Customer returns the event's customer as read by read, once per
// delivery (and per coalesced events about it): the first subscriber to
// ask reads it (detached from its own context, so its leaving does not
// fail the others), the rest wait for that read.
func (d *Delivery) Customer(ctx context.Context, read func(context.Context) (*tanma.Customer, error)) (*tanma.Customer, error) {
	r := d.read
	if r == nil {
		r = &d.own
	}
	r.once.Do(func() {
		if r.onStart != nil {
			r.onStart()
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), CustomerReadTimeout)
		defer cancel()
		r.customer, r.err = read(rctx)
	})
	return r.customer, r.err
}
