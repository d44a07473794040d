package events

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/logtest"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// quickBus is a bus on this replica whose RESYNCs owed are due at once
// when nothing more comes (quiet: a millisecond).
func quickBus(t *testing.T) *Bus {
	t.Helper()
	log, _ := logtest.JSON(nil)
	b := NewBus(nil, nil, log)
	b.quiet = time.Millisecond
	t.Cleanup(b.Close)
	return b
}

// drain takes what the subscriber would be sent now, until nothing comes
// for 100 ms: each event's msgId, "RESYNC" for a RESYNC.
func drain(s *Subscription) []string {
	var got []string
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		d, resync, ok := s.Next(ctx)
		cancel()
		switch {
		case !ok:
			return got
		case resync:
			got = append(got, "RESYNC")
		default:
			got = append(got, d.MsgID)
		}
	}
}

// customerEvents are tag events about customers first, first+1, ...,
// first+n-1, with msgIds prefix0, prefix1...
func customerEvents(prefix string, first, n int) []Event {
	var evs []Event
	for i := range n {
		evs = append(evs, Event{Kind: CustomerTags, MsgID: fmt.Sprint(prefix, i), CustomerID: tanma.ID(first + i)})
	}
	return evs
}

// TestPendingEventsCoalesce: events waiting for a subscriber collapse by
// customer (the latest, in the first one's place), the tag library's into
// the latest, a new customer's repeated pushes into one; anything else
// waits on its own. Past MaxPending, what waits is dropped for one RESYNC,
// and so is what comes before the RESYNC is taken; what comes after waits
// as before.
func TestPendingEventsCoalesce(t *testing.T) {
	t.Parallel()
	tags := func(id tanma.ID, msg string) Event { return Event{Kind: CustomerTags, MsgID: msg, CustomerID: id} }
	overflow := customerEvents("c", 1000, MaxPending+1)
	for _, tc := range []struct {
		name   string
		before []Event // published before the subscriber takes anything
		after  []Event // published once it has taken all before
		want   []string
	}{
		{name: "a customer's events collapse into the latest, in the first one's place",
			before: []Event{tags(1, "1"), tags(2, "2"), tags(1, "3"), tags(1, "4")}, want: []string{"4", "2"}},
		{name: "a contact edit and a tag change of one customer collapse too",
			before: []Event{tags(1, "1"), {Kind: CustomerContact, MsgID: "2", CustomerID: 1}}, want: []string{"2"}},
		{name: "the tag library's changes collapse into the latest",
			before: []Event{{Kind: TagLibrary, MsgID: "1", TagID: "a"}, {Kind: TagLibrary, MsgID: "2", TagID: "b"}}, want: []string{"2"}},
		{name: "a new customer's repeated pushes collapse, other new customers wait",
			before: []Event{{Kind: NewCustomer, MsgID: "1", Owner: "lina", ExternalUserID: "wm1"},
				{Kind: NewCustomer, MsgID: "2", Owner: "lina", ExternalUserID: "wm2"},
				{Kind: NewCustomer, MsgID: "3", Owner: "lina", ExternalUserID: "wm1"}},
			want: []string{"3", "2"}},
		{name: "events naming no customer wait each on its own",
			before: []Event{{Kind: NewCustomer, MsgID: "1", Owner: "lina"}, {Kind: NewCustomer, MsgID: "2", Owner: "lina"}},
			want:   []string{"1", "2"}},
		{name: "MaxPending customers wait", before: overflow[:MaxPending], want: msgIDs(overflow[:MaxPending])},
		{name: "one more: one RESYNC instead", before: overflow, want: []string{"RESYNC"}},
		{name: "events before the RESYNC is taken are dropped too",
			before: append(overflow, tags(1, "late")), want: []string{"RESYNC"}},
		{name: "events after it wait as before",
			before: overflow, after: []Event{tags(1, "1"), tags(1, "2")}, want: []string{"RESYNC", "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := quickBus(t)
			var resyncs atomic.Int32
			b.OnResync = func() { resyncs.Add(1) }
			s := b.Subscribe(CustomerTags, CustomerContact, NewCustomer, TagLibrary)
			for _, ev := range tc.before {
				b.Publish(context.Background(), ev)
			}
			got := drain(s)
			for _, ev := range tc.after {
				b.Publish(context.Background(), ev)
			}
			got = append(got, drain(s)...)
			assert.Equal(t, tc.want, got)
			want := 0
			for _, g := range tc.want {
				if g == "RESYNC" {
					want++
				}
			}
			assert.EqualValues(t, want, resyncs.Load(), "OnResync hears each RESYNC")
			assert.Equal(t, 1, b.Subscribers(), "the subscription goes on")
		})
	}
}

func msgIDs(evs []Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.MsgID)
	}
	return out
}

// TestResyncWaitsForTheBurstToPass: a RESYNC owed is sent once no event
// has come for the quiet time, or the longest delay after it became owed
// while events keep coming; each subscriber has its own.
//
// It runs in a synctest bubble: the bus's clock and timers are the
// bubble's fake ones, which move only once every goroutine in it waits,
// so the publisher's 5 ms steps are exact however loaded the machine is
// (on the real clock a publisher descheduled for longer than the quiet
// time ended the burst early, and the RESYNC came before its time).
func TestResyncWaitsForTheBurstToPass(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		burst time.Duration // events keep coming this long after the overflow, one every 5 ms
		want  time.Duration // when the RESYNC comes, after the overflow
	}{
		{name: "a short burst: once it is over", burst: 100 * time.Millisecond,
			want: 95*time.Millisecond + 50*time.Millisecond}, // the last event, then the quiet time
		{name: "a long burst: the longest delay", burst: time.Second, want: 500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				log, _ := logtest.JSON(nil)
				b := NewBus(nil, nil, log)
				t.Cleanup(b.Close)
				b.quiet, b.maxDelay = 50*time.Millisecond, 500*time.Millisecond
				s := b.Subscribe(CustomerTags)
				other := b.Subscribe(CustomerTags) // owes its own RESYNC, timed alike
				for _, ev := range customerEvents("c", 1, MaxPending+1) {
					b.Publish(context.Background(), ev)
				}
				start := time.Now()
				var publisher sync.WaitGroup
				defer publisher.Wait() // a bubble ends with its goroutines
				publisher.Go(func() {
					for i := 0; time.Since(start) < tc.burst; i++ {
						b.Publish(context.Background(), Event{Kind: CustomerTags, MsgID: "more", CustomerID: tanma.ID(100 + i%5)})
						time.Sleep(5 * time.Millisecond)
					}
				})
				for _, sub := range []*Subscription{s, other} {
					_, resync, ok := sub.Next(context.Background())
					require.True(t, ok)
					assert.True(t, resync)
					assert.Equal(t, tc.want, time.Since(start), "when the RESYNC came")
				}
			})
		})
	}
}

// TestResyncDropsWhatWaits: an event the subscriber took could not be
// served (Resync): what waits is dropped, the RESYNC comes next, and the
// events after it as before.
func TestResyncDropsWhatWaits(t *testing.T) {
	t.Parallel()
	b := quickBus(t)
	s := b.Subscribe(CustomerTags)
	for _, ev := range customerEvents("c", 1, 3) {
		b.Publish(context.Background(), ev)
	}
	d, _, ok := s.Next(context.Background())
	require.True(t, ok)
	assert.Equal(t, "c0", d.MsgID)
	s.Resync()
	assert.Equal(t, []string{"RESYNC"}, drain(s))
	b.Publish(context.Background(), Event{Kind: CustomerTags, MsgID: "later", CustomerID: 1})
	assert.Equal(t, []string{"later"}, drain(s))
}

// TestAPendingReadIsShared: events about a customer that came before its
// read started share that read, whichever subscriber took which; an event
// after it started gets a read of its own (the first may predate its
// change).
func TestAPendingReadIsShared(t *testing.T) {
	t.Parallel()
	b := quickBus(t)
	fast, slow := b.Subscribe(CustomerTags), b.Subscribe(CustomerTags)
	var reads atomic.Int32
	read := func(context.Context) (*tanma.Customer, error) {
		reads.Add(1)
		return &tanma.Customer{CustomerID: 7}, nil
	}
	ctx := context.Background()
	b.Publish(ctx, Event{Kind: CustomerTags, MsgID: "1", CustomerID: 7})
	d1, _, _ := fast.Next(ctx) // taken, not read yet
	b.Publish(ctx, Event{Kind: CustomerTags, MsgID: "2", CustomerID: 7})
	d2, _, _ := slow.Next(ctx) // coalesced: "2"
	assert.Equal(t, "2", d2.MsgID)
	_, err := d1.Customer(ctx, read)
	require.NoError(t, err)
	_, err = d2.Customer(ctx, read)
	require.NoError(t, err)
	assert.EqualValues(t, 1, reads.Load(), "one read for both events")

	b.Publish(ctx, Event{Kind: CustomerTags, MsgID: "3", CustomerID: 7})
	d3, _, _ := fast.Next(ctx)
	_, err = d3.Customer(ctx, read)
	require.NoError(t, err)
	assert.EqualValues(t, 2, reads.Load(), "an event after the read started is read again")
}

// TestSubscriptionEnds: Close ends a subscription, closing the bus ends
// every one, and a closed bus subscribes no one.
func TestSubscriptionEnds(t *testing.T) {
	t.Parallel()
	b := quickBus(t)
	gone, stays := b.Subscribe(NewCustomer), b.Subscribe(NewCustomer)
	b.Publish(context.Background(), Event{Kind: NewCustomer, MsgID: "1"})
	gone.Close()
	_, _, ok := gone.Next(context.Background())
	assert.False(t, ok, "closed: nothing more, what waited included")
	assert.Equal(t, 1, b.Subscribers())
	b.Close()
	_, _, ok = stays.Next(context.Background())
	assert.False(t, ok, "closing the bus ends every subscription")
	assert.Equal(t, 0, b.Subscribers())
	_, _, ok = b.Subscribe(NewCustomer).Next(context.Background())
	assert.False(t, ok, "a closed bus subscribes no one")
}
