package events

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/logtest"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// fakeRelay is Pub/Sub between buses in one process; failing makes Publish
// fail.
type fakeRelay struct {
	mu      sync.Mutex
	hearers []func([]byte)
	failing atomic.Bool
}

func (r *fakeRelay) PublishEvent(_ context.Context, payload []byte) error {
	if r.failing.Load() {
		return errors.New("relay down")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range r.hearers {
		h(payload)
	}
	return nil
}

func (r *fakeRelay) ListenEvents(hear func([]byte)) func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hearers = append(r.hearers, hear)
	return func() {}
}

// correction records what a bus corrected: the event's msgId and whether
// it was published there.
type corrections struct {
	mu  sync.Mutex
	got []string
}

func (c *corrections) correct(ev Event, here bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	where := "elsewhere"
	if here {
		where = "here"
	}
	c.got = append(c.got, ev.MsgID+"@"+where)
}

// TestBusReachesEveryReplica: an event published on one replica is
// corrected, then heard, on every replica, each knowing whether it was its
// own; when the relay fails, the replica that has it still acts on it.
func TestBusReachesEveryReplica(t *testing.T) {
	t.Parallel()
	log, _ := logtest.JSON(nil)
	relay := &fakeRelay{}
	var ca, cb corrections
	a, b := NewBus(relay, ca.correct, log), NewBus(relay, cb.correct, log)
	subA, subB := a.Subscribe(CustomerTags), b.Subscribe(CustomerTags, TagLibrary)
	a.Publish(context.Background(), Event{Kind: CustomerTags, MsgID: "1"})
	assert.Equal(t, []string{"1"}, drain(subA))
	assert.Equal(t, []string{"1"}, drain(subB))
	assert.Equal(t, []string{"1@here"}, ca.got)
	assert.Equal(t, []string{"1@elsewhere"}, cb.got)

	relay.failing.Store(true)
	b.Publish(context.Background(), Event{Kind: TagLibrary, MsgID: "2"})
	assert.Equal(t, []string{"2"}, drain(subB))
	assert.Equal(t, []string{"1@elsewhere", "2@here"}, cb.got)
	assert.Equal(t, []string{"1@here"}, ca.got, "the other replica missed it, as Pub/Sub would")
	assert.Empty(t, drain(subA), "subA wants no TAG_LIBRARY event")
}

// TestDeliveryReadsTheCustomerOnce: however many subscribers ask, an
// event's customer is read once, and a subscriber leaving does not fail
// the read the others wait for.
func TestDeliveryReadsTheCustomerOnce(t *testing.T) {
	t.Parallel()
	d := &Delivery{Event: Event{CustomerID: 1}}
	var reads atomic.Int32
	read := func(ctx context.Context) (*tanma.Customer, error) {
		reads.Add(1)
		time.Sleep(20 * time.Millisecond)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return &tanma.Customer{CustomerID: 1}, nil
	}
	gone, cancel := context.WithCancel(context.Background())
	cancel() // the first subscriber has already left
	var wg sync.WaitGroup
	for i := range 10 {
		ctx := context.Background()
		if i == 0 {
			ctx = gone
		}
		wg.Go(func() {
			c, err := d.Customer(ctx, read)
			assert.NoError(t, err)
			assert.Equal(t, tanma.ID(1), c.CustomerID)
		})
	}
	wg.Wait()
	require.EqualValues(t, 1, reads.Load())
}

// TestMemoryDedup: a claim holds for ClaimTTL unless applied or
// forgotten; an applied msgId is a replay for DedupTTL.
func TestMemoryDedup(t *testing.T) {
	t.Parallel()
	d := NewMemoryDedup(2)
	now := time.Unix(0, 0)
	d.now = func() time.Time { return now }
	ctx := context.Background()
	assert.Equal(t, Claimed, d.Claim(ctx, "1"))
	assert.Equal(t, InProgress, d.Claim(ctx, "1"), "being applied")
	d.Release(ctx, "1")
	assert.Equal(t, Claimed, d.Claim(ctx, "1"), "forgotten: applied again")
	d.Applied(ctx, "1")
	assert.Equal(t, Replay, d.Claim(ctx, "1"))
	now = now.Add(DedupTTL + time.Second)
	assert.Equal(t, Claimed, d.Claim(ctx, "1"), "remembered for DedupTTL only")
	now = now.Add(ClaimTTL + time.Second)
	assert.Equal(t, Claimed, d.Claim(ctx, "1"), "a claim never applied nor forgotten ends after ClaimTTL")
}
