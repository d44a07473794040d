package redisstore

import (
	"context"
	"errors"

	"github.com/tanma-gql/gateway/internal/events"
)

// Push events reach one replica (Tanma posts to one address behind the load
// balancer); the Relay carries each to every replica on one Pub/Sub
// channel, and the Dedup shares which msgIds were applied, since Tanma's
// re-send of a push may land on another replica.

var _ events.Relay = (*Store)(nil)

// errDown: Redis is down (and not due for a probe): the caller falls back.
var errDown = errors.New("redis is down")

// PublishEvent sends an event to every replica listening (this one too).
func (s *Store) PublishEvent(ctx context.Context, payload []byte) error {
	if !s.usable() {
		return errDown
	}
	return s.record(ctx, s.rdb.Publish(ctx, s.key("events"), payload).Err())
}

// ListenEvents calls hear with every event any replica publishes, until
// stop is called.
func (s *Store) ListenEvents(hear func(payload []byte)) (stop func()) {
	return s.listen("events", func(payload string) { hear([]byte(payload)) })
}

// Dedup is the msgIds claimed and applied by any replica, in Redis: a
// claim for events.ClaimTTL, an applied msgId for events.DedupTTL. While
// Redis is down, each replica keeps its own (fallback), which it also
// keeps while Redis is up, for when it goes down.
type Dedup struct {
	store    *Store
	fallback events.Dedup
}

var _ events.Dedup = (*Dedup)(nil)

// Dedup returns the shared record of pushes, falling back to fallback
// while Redis is down.
func (s *Store) Dedup(fallback events.Dedup) *Dedup { return &Dedup{store: s, fallback: fallback} }

// The values of a msgId's key.
const (
	claimValue   = "applying"
	appliedValue = "applied"
)

// Claim claims msgID in Redis (SET NX, for events.ClaimTTL) unless a
// replica has claimed or applied it.
func (d *Dedup) Claim(ctx context.Context, msgID string) events.Claim {
	local := d.fallback.Claim(ctx, msgID)
	if !d.store.usable() {
		return local
	}
	key := d.store.key("push:" + msgID)
	ok, err := d.store.rdb.SetNX(ctx, key, claimValue, events.ClaimTTL).Result()
	if d.store.record(ctx, err) != nil {
		return local
	}
	if ok {
		return events.Claimed
	}
	if local == events.Claimed {
		d.fallback.Release(ctx, msgID) // another replica's: not this one's to keep
	}
	// Applied, or being applied; an error (or the key gone between the
	// two commands, its claim ended) is answered as in progress: Tanma
	// sends the push again.
	if v, err := d.store.rdb.Get(ctx, key).Result(); d.store.record(ctx, err) == nil && v == appliedValue {
		return events.Replay
	}
	return events.InProgress
}

// Applied records msgID as applied, for events.DedupTTL.
func (d *Dedup) Applied(ctx context.Context, msgID string) {
	d.fallback.Applied(ctx, msgID)
	if d.store.usable() {
		_ = d.store.record(ctx, d.store.rdb.Set(ctx, d.store.key("push:"+msgID), appliedValue, events.DedupTTL).Err())
	}
}

// Release lets msgID be claimed again. Were Redis down, the claim ends by
// itself within events.ClaimTTL.
func (d *Dedup) Release(ctx context.Context, msgID string) {
	d.fallback.Release(ctx, msgID)
	if d.store.usable() {
		_ = d.store.record(ctx, d.store.rdb.Del(ctx, d.store.key("push:"+msgID)).Err())
	}
}
