package app

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/tanma-gql/gateway/internal/config"
	"github.com/tanma-gql/gateway/internal/events"
)

// bus is the event bus every replica hears (through Redis when
// configured): writes through the gateway make every replica forget the
// customers they changed, and Tanma's push events (see live) correct the
// caches, then reach the subscriptions.
func (r *replica) bus(log *slog.Logger) *events.Bus {
	var relay events.Relay
	if r.store != nil {
		relay = r.store
	}
	bus := events.NewBus(relay, r.correct(log), log)
	bus.OnResync = r.metrics.SubscriptionResync
	r.closers = append(r.closers, bus.Close)
	r.resolver.Customers.PublishOn(bus)
	return bus
}

// live wires Tanma's push events: the receiver (one replica gets each
// push), which publishes each on the bus, and the subscriptions that hear
// of them (graph.Resolver.Events). It returns the receiver, nil when
// TANMA_EVENTS_PATH is off.
func (r *replica) live(cfg config.Config, log *slog.Logger, bus *events.Bus) http.Handler {
	if cfg.Events.Path == "" {
		return nil
	}
	var dedup events.Dedup = events.NewMemoryDedup(100000)
	if r.store != nil {
		dedup = r.store.Dedup(dedup)
	}
	r.metrics.WatchSubscriptions(bus.Subscribers)
	r.resolver.Events = bus
	return &events.Receiver{
		AppID: cfg.AppID, CorpID: cfg.Events.CorpID, AppKey: cfg.AppKey, Window: cfg.Events.Window,
		Dedup: dedup, Log: log, Count: r.metrics.PushEvent,
		Apply: func(ctx context.Context, ev events.Event) error {
			if ev.Kind == events.TagLibrary {
				// Loaded from Tanma once, here; the other replicas read the
				// shared copy when they hear the event (correct).
				if err := r.resolver.Catalog.Tags.Refresh(ctx); err != nil {
					return err
				}
			}
			// Not on the push's context: Tanma hanging up must not make
			// the relay look down and keep the event on this replica.
			bus.Publish(context.WithoutCancel(ctx), ev)
			return nil
		},
	}
}

// correct is what every replica does when it hears an event, before its
// subscribers do: the customer store forgets its copies of the customers
// the event is about (customers.Store.Correct), or the replica reads the
// tag library again (the replica that received the push has already
// loaded it).
func (r *replica) correct(log *slog.Logger) func(events.Event, bool) {
	return func(ev events.Event, here bool) {
		switch {
		case ev.Customer():
			r.resolver.Customers.Correct(ev)
		case !here:
			if err := r.resolver.Catalog.Tags.Reread(context.Background()); err != nil {
				log.Warn("tag library not read again after a change: served as it was until its TTL", "err", err.Error())
			}
		}
	}
}
