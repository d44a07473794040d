package redisstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Writes change customers that other replicas may hold in their
// per-replica caches (customers listed lately, leftover list pages): a write
// publishes the ids on one channel and every replica forgets them. Pub/Sub
// keeps nothing: a replica that is not listening (Redis down, restarting)
// misses the message, and its copies expire within their TTL (a minute),
// as they would without Redis.

// PublishWrite tells every replica which customers a write changed.
func (s *Store) PublishWrite(ctx context.Context, ids []tanma.ID) {
	if len(ids) == 0 || !s.usable() {
		return
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id.String()
	}
	_ = s.record(ctx, s.rdb.Publish(ctx, s.key("writes"), strings.Join(parts, ",")).Err())
}

// ListenWrites calls forget with the customers every write, on any replica
// (this one too), changed, until stop is called; stop returns once the
// listener has ended. go-redis reconnects by itself after Redis comes back.
func (s *Store) ListenWrites(forget func([]tanma.ID)) (stop func()) {
	return s.listen("writes", func(payload string) {
		if ids := parseIDs(payload); len(ids) > 0 {
			forget(ids)
		}
	})
}

// listen calls hear with every message on the channel name until stop is
// called; stop returns once the listener has ended.
func (s *Store) listen(name string, hear func(payload string)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sub := s.rdb.Subscribe(ctx, s.key(name))
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer sub.Close()
		ch := sub.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-ch:
				if !ok {
					return
				}
				hear(m.Payload)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// parseIDs reads a comma list of customer ids, skipping anything else.
func parseIDs(s string) []tanma.ID {
	var out []tanma.ID
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.ParseInt(p, 10, 64); err == nil && n > 0 {
			out = append(out, tanma.ID(n))
		}
	}
	return out
}
