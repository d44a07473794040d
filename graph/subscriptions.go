package graph

import (
	"context"
	"time"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// errNoLiveData answers a subscription on a gateway that receives no push
// events.
var errNoLiveData = &apperr.Error{Code: apperr.UpstreamUnavailable,
	Message: "this gateway receives no push events from Tanma: subscriptions are off (see README, Live data)"}

// customerChanges streams the customer events the caller may see: of the
// owner asked for, or of every staff member in the caller's scope. For
// those, an event that names a customer is placed by that customer's owner
// as Tanma has it now (read once per event on this replica), not by the
// staff member the push names: a push may name whoever tagged a contact
// they share, or the owner before a transfer. A scoped caller hears
// nothing of a customer that could not be read; an event whose owner stays
// unknown reaches only unscoped callers that asked for no owner.
//
// The customer is read only for a subscriber that needs it, to place the
// event or because it selects `customer`, and before the event is sent: an
// event whose customer cannot be read in time (the upstream quota is
// spent, Tanma is slow or down) is dropped for a RESYNC, which names no
// customer, rather than sent without it (events.Subscription).
func (r *Resolver) customerChanges(ctx context.Context, ownerID *string) (<-chan *model.CustomerChange, error) {
	if r.Events == nil {
		return nil, errNoLiveData
	}
	owner := ""
	if ownerID != nil {
		qw, err := ownerQwUserID(*ownerID)
		if err != nil {
			return nil, err
		}
		if err := checkStaff(ctx, qw); err != nil {
			return nil, err
		}
		owner = qw
	}
	scoped := caller(ctx).Scoped()
	placeAll := owner != "" || scoped
	// The owner shown is the customer's as read, never the push's claim
	// unchecked (a push may name whoever tagged a shared contact, or the
	// owner before a transfer): a subscriber selecting owner reads too.
	_, _, selectsCustomer := child(ctx, selection(ctx), "CustomerChange", "customer")
	_, _, selectsOwner := child(ctx, selection(ctx), "CustomerChange", "owner")
	read := placeAll || selectsCustomer || selectsOwner
	sub := r.Events.Subscribe(events.CustomerTags, events.CustomerContact, events.NewCustomer)
	return forward(ctx, sub, func(d *events.Delivery) (*model.CustomerChange, bool) {
		evOwner := d.Owner
		if read && d.CustomerID > 0 {
			c, err := r.eventCustomer(ctx, d)
			switch {
			case err == nil:
				evOwner = ownerOf(c)
			case unservable(err):
				sub.Resync()
				return nil, false
			case scoped:
				return nil, false
			default:
				evOwner = "" // not read: no owner rather than the push's claim
			}
		}
		if (owner != "" && evOwner != owner) || !seesStaff(ctx, evOwner) {
			return nil, false
		}
		change := model.NewCustomerChange(d, evOwner, r)
		if !model.SeesPersonal(ctx) {
			change.ExternalUserID = nil // @personal(mask: WITHHOLD)
		}
		return change, true
	}, model.NewResyncChange), nil
}

// unservable reports whether a read failed for want of time or quota
// (RATE_LIMITED, UPSTREAM_UNAVAILABLE), not with Tanma's answer (a
// customer it does not know, an answer outside its shape): the event is
// not lost for good, the client refetches.
func unservable(err error) bool {
	code, _, _ := apperr.Classify(err)
	return code == apperr.RateLimited || code == apperr.UpstreamUnavailable
}

// tagLibraryChanges streams the tag library's events. They coalesce into
// the latest while they wait (events.Subscription), so a subscriber is
// never sent a RESYNC: the latest change's tagGroups is the whole library.
func (r *Resolver) tagLibraryChanges(ctx context.Context) (<-chan *model.TagLibraryChange, error) {
	if r.Events == nil {
		return nil, errNoLiveData
	}
	sub := r.Events.Subscribe(events.TagLibrary)
	return forward(ctx, sub, func(d *events.Delivery) (*model.TagLibraryChange, bool) {
		return model.NewTagLibraryChange(d), true
	}, nil), nil
}

// forward hands a subscription's events, as mapped by m (false: not for
// this subscriber), and its RESYNCs, as made by resync (nil: it has none),
// to gqlgen until the subscriber leaves (ctx ends) or the bus ends the
// subscription (at shutdown); then the stream closes and the client is
// told it is complete. A subscriber that falls behind is not ended: it
// gets a RESYNC (events.Subscription).
func forward[T any](ctx context.Context, sub *events.Subscription, m func(*events.Delivery) (T, bool), resync func(time.Time) T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			d, again, ok := sub.Next(ctx)
			if !ok {
				return
			}
			var v T
			switch {
			case again && resync == nil:
				continue
			case again:
				v = resync(time.Now())
			default:
				var mine bool
				if v, mine = m(d); !mine {
					continue
				}
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// eventCustomer is the event's customer as Tanma has it now, read once per
// event on this replica (events.Delivery.Customer) by the customer store.
func (r *Resolver) eventCustomer(ctx context.Context, d *events.Delivery) (*tanma.Customer, error) {
	return d.Customer(ctx, func(ctx context.Context) (*tanma.Customer, error) {
		return r.Customers.Fresh(ctx, d.CustomerID)
	})
}

// changedCustomer resolves CustomerChange.customer: the customer read for
// the event, if the caller may see it; null when the event names none.
func (r *Resolver) changedCustomer(ctx context.Context, c *model.CustomerChange) (*model.Customer, error) {
	if c.Delivery == nil || c.Delivery.CustomerID <= 0 {
		return nil, nil
	}
	tc, err := r.eventCustomer(ctx, c.Delivery)
	if err != nil {
		return nil, err
	}
	if err := checkCustomer(ctx, tc); err != nil {
		return nil, err
	}
	return r.mapCustomer(ctx, *tc, selection(ctx)), nil
}
