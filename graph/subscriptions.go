package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// errNoLiveData answers a subscription on a gateway that receives no push
// events.
var errNoLiveData = &apperr.Error{Code: apperr.UpstreamUnavailable,
	Message: "this gateway receives no push events from Tanma: subscriptions are off (see README, Live data)"}

// errFellBehind ends a subscription that fell behind the events.
func errFellBehind() *gqlerror.Error {
	err := gqlerror.Errorf("this subscription fell more than %d events behind and was ended, so events were missed: subscribe again and read afresh what you show", events.SubscriptionBuffer)
	err.Extensions = map[string]any{"code": string(apperr.QueryLimitExceeded), "limit": "subscriptionBuffer"}
	return err
}

// customerChanges streams the customer events the caller may see: of the
// owner asked for, or of every staff member in the caller's scope. For
// those, an event that names a customer is placed by that customer's owner
// as Tanma has it now (read once per event on this replica), not by the
// staff member the push names: a push may name whoever tagged a contact
// they share, or the owner before a transfer. A scoped caller hears
// nothing of a customer that could not be read; an event whose owner stays
// unknown reaches only unscoped callers that asked for no owner.
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
	sub := r.Events.Subscribe(events.CustomerTags, events.CustomerContact, events.NewCustomer)
	return forward(ctx, sub, func(d *events.Delivery) (*model.CustomerChange, bool) {
		evOwner := d.Owner
		if placeAll && d.CustomerID > 0 {
			c, err := r.eventCustomer(ctx, d)
			switch {
			case err == nil:
				evOwner = ownerOf(c)
			case scoped:
				return nil, false
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
	}), nil
}

// tagLibraryChanges streams the tag library's events.
func (r *Resolver) tagLibraryChanges(ctx context.Context) (<-chan *model.TagLibraryChange, error) {
	if r.Events == nil {
		return nil, errNoLiveData
	}
	sub := r.Events.Subscribe(events.TagLibrary)
	return forward(ctx, sub, func(d *events.Delivery) (*model.TagLibraryChange, bool) {
		return model.NewTagLibraryChange(d), true
	}), nil
}

// forward hands a subscription's events, as mapped by m (false: not for
// this subscriber), to gqlgen until the subscriber leaves (ctx ends) or
// the bus ends the subscription; then the stream closes. The client is
// told it is complete, or, when the subscription fell behind and events
// were lost, gets an error saying so (a client that saw "complete" would
// not subscribe again, and its live view would silently stop).
func forward[T any](ctx context.Context, sub *events.Subscription, m func(*events.Delivery) (T, bool)) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		defer sub.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case d, ok := <-sub.C():
				if !ok {
					if sub.FellBehind() {
						transport.AddSubscriptionError(ctx, errFellBehind())
					}
					return
				}
				v, mine := m(d)
				if !mine {
					continue
				}
				select {
				case out <- v:
				case <-ctx.Done():
					return
				}
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
