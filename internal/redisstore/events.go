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

// Dedup is the msgIds applied by any replica, in Redis for
// events.DedupTTL; while Redis is down, each replica remembers its own
// (fallback).
type Dedup struct {
	store    *Store
	fallback events.Dedup
}

var _ events.Dedup = (*Dedup)(nil)

// Dedup returns the shared record of applied pushes, falling back to
// fallback while Redis is down.
func (s *Store) Dedup(fallback events.Dedup) *Dedup { return &Dedup{store: s, fallback: fallback} }

// First records msgID in Redis (SET NX) and reports whether no replica had.
func (d *Dedup) First(ctx context.Context, msgID string) bool {
	local := d.fallback.First(ctx, msgID) // kept too, for when Redis goes down
	if !d.store.usable() {
		return local
	}
	ok, err := d.store.rdb.SetNX(ctx, d.store.key("push:"+msgID), 1, events.DedupTTL).Result()
	if d.store.record(ctx, err) != nil {
		return local
	}
	return ok
}

// Forget lets msgID be applied again.
func (d *Dedup) Forget(ctx context.Context, msgID string) {
	d.fallback.Forget(ctx, msgID)
	if d.store.usable() {
		_ = d.store.record(ctx, d.store.rdb.Del(ctx, d.store.key("push:"+msgID)).Err())
	}
}
