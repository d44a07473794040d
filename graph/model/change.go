package model

import (
	"time"

	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// CustomerChange is one customer event as a subscription hands it out; its
// customer is read once per event (Delivery.Customer) when selected.
type CustomerChange struct {
	Kind           CustomerChangeKind
	CustomerID     *string
	ExternalUserID *string
	Owner          *Staff
	TagID          *string
	TagRemoved     *bool
	ReceivedAt     time.Time // in China time, as every time the API answers
	// Delivery is the event as this replica's subscribers share it.
	Delivery *events.Delivery
}

// changeKinds maps event kinds to the schema's.
var changeKinds = map[events.Kind]CustomerChangeKind{
	events.CustomerTags:    CustomerChangeKindTagsChanged,
	events.CustomerContact: CustomerChangeKindContactEdited,
	events.NewCustomer:     CustomerChangeKindNewCustomer,
}

// NewCustomerChange maps a customer event; owner is its owner's WeChat Work
// user id when known ("" otherwise).
func NewCustomerChange(d *events.Delivery, owner string, ref Reference) *CustomerChange {
	c := &CustomerChange{Kind: changeKinds[d.Kind], ReceivedAt: d.ReceivedAt.In(tanma.Shanghai), Delivery: d}
	if d.CustomerID > 0 {
		id := d.CustomerID.String()
		c.CustomerID = &id
	}
	c.ExternalUserID = nonEmpty(&d.ExternalUserID)
	if owner != "" {
		c.Owner = NewStaff(owner, ref)
	}
	if d.Kind == events.CustomerTags {
		c.TagID, c.TagRemoved = nonEmpty(&d.TagID), &d.Removed
	}
	return c
}

// NewResyncChange is the RESYNC a subscriber is sent, at at, for the events
// it could not be sent: it names no customer, so any caller may have it.
func NewResyncChange(at time.Time) *CustomerChange {
	return &CustomerChange{Kind: CustomerChangeKindResync, ReceivedAt: at.In(tanma.Shanghai)}
}

// TagLibraryChange is one tag library event as a subscription hands it
// out; the library after it is read once per event when selected.
type TagLibraryChange struct {
	Kind       TagLibraryChangeKind
	Target     TagLibraryChangeTarget
	ID         *string
	QwTagID    *string
	Name       *string
	ReceivedAt time.Time // in China time
}

// NewTagLibraryChange maps a tag library event.
func NewTagLibraryChange(d *events.Delivery) *TagLibraryChange {
	return &TagLibraryChange{Kind: TagLibraryChangeKind(d.Change), Target: TagLibraryChangeTarget(d.Target),
		ID: nonEmpty(&d.TagID), QwTagID: nonEmpty(&d.QwTagID), Name: nonEmpty(&d.Name), ReceivedAt: d.ReceivedAt.In(tanma.Shanghai)}
}
