package app

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/tanma-gql/gateway/internal/config"
	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// live wires Tanma's push events: the receiver (one replica gets each
// push), the bus that carries each event to every replica (Redis when
// configured), the corrections each replica makes, and the subscriptions
// that hear of them (graph.Resolver.Events). It returns the receiver, nil
// when TANMA_EVENTS_PATH is off.
func (r *replica) live(cfg config.Config, log *slog.Logger) http.Handler {
	if cfg.Events.Path == "" {
		return nil
	}
	var relay events.Relay
	var dedup events.Dedup = events.NewMemoryDedup(100000)
	if r.store != nil {
		relay, dedup = r.store, r.store.Dedup(dedup)
	}
	bus := events.NewBus(relay, r.correct(log), log)
	bus.OnDrop = r.metrics.SubscriptionDropped
	r.metrics.WatchSubscriptions(bus.Subscribers)
	r.resolver.Events = bus
	r.closers = append(r.closers, bus.Close)
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
// subscribers do: forget its copies of the customer (as after a write:
// the customers listed lately, the leftover list and search pages and the
// search totals; a new customer's event names no id, so only the pages),
// or read the tag library again (the replica that received the push has
// already loaded it).
func (r *replica) correct(log *slog.Logger) func(events.Event, bool) {
	return func(ev events.Event, here bool) {
		switch {
		case ev.Customer():
			var ids []tanma.ID
			if ev.CustomerID > 0 {
				ids = append(ids, ev.CustomerID)
			}
			r.resolver.ForgetCustomers(ids)
		case !here:
			if err := r.resolver.Catalog.Tags.Reread(context.Background()); err != nil {
				log.Warn("tag library not read again after a change: served as it was until its TTL", "err", err.Error())
			}
		}
	}
}
