package redisstore

import "context"

// Replicas hear each other on Pub/Sub channels (the event bus's, see
// events.go). Pub/Sub keeps nothing: a replica that is not listening (Redis
// down, restarting) misses a message, and its copies expire within their
// TTL, as they would without Redis.

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
