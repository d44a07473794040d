// Package events is live data: Tanma's push events in (Receiver: verified,
// decrypted, acknowledged, replays applied once), and the Bus that carries
// each event to every replica (through Redis when configured) where the
// caches are corrected and GraphQL subscriptions hear of it, each through
// a bounded Subscription that coalesces events by customer and owes a
// RESYNC rather than ending when it cannot keep up. Event is the push in
// domain terms.
package events

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Kind is what an event says changed.
type Kind string

// Event kinds.
const (
	CustomerTags    Kind = "CUSTOMER_TAGS"    // a customer gained or lost a tag
	CustomerContact Kind = "CUSTOMER_CONTACT" // a customer's contact details were edited
	NewCustomer     Kind = "NEW_CUSTOMER"     // a staff member added a WeChat customer
	TagLibrary      Kind = "TAG_LIBRARY"      // a tag or tag group was created, updated or deleted
	// CustomersWritten is no push: a write through the gateway changed
	// customers (CustomerIDs), and every replica forgets its copies of them
	// (internal/customers).
	CustomersWritten Kind = "CUSTOMERS_WRITTEN"
)

// Event is one push in domain terms. It travels between replicas as JSON.
type Event struct {
	Kind       Kind      `json:"kind"`
	MsgID      string    `json:"msgId"`      // Tanma's message id (decimal)
	ReceivedAt time.Time `json:"receivedAt"` // when a replica received it
	Origin     string    `json:"origin"`     // the bus of the replica that received it

	// Customer events: the customer, when the push names it (a new WeChat
	// customer's push does not), its owner's WeChat Work user id and its
	// WeChat external user id, when named.
	CustomerID tanma.ID `json:"customerId,omitempty"`
	// CustomersWritten: the customers a write changed.
	CustomerIDs    []tanma.ID `json:"customerIds,omitempty"`
	Owner          string     `json:"owner,omitempty"`
	ExternalUserID string     `json:"externalUserId,omitempty"`

	// Tag events (TagLibrary, CustomerTags): the tag (Tanma and WeChat
	// ids), and for the library what changed: Change is CREATED, UPDATED
	// or DELETED, Target TAG or TAG_GROUP, Name its current name.
	TagID   string `json:"tagId,omitempty"`
	QwTagID string `json:"qwTagId,omitempty"`
	Change  string `json:"change,omitempty"`
	Target  string `json:"target,omitempty"`
	Name    string `json:"name,omitempty"`
	Removed bool   `json:"removed,omitempty"` // CustomerTags: the tag was taken off
}

// FromPush maps a push to an event. ok is false for a type the gateway does
// not act on (address checks, types Tanma documents that change nothing the
// gateway serves, unknown types): those are acknowledged and ignored. A
// known type whose content does not decode is an error.
func FromPush(env tanma.PushEnvelope, at time.Time) (ev Event, ok bool, err error) {
	ev = Event{MsgID: env.MsgID, ReceivedAt: at}
	switch env.Type {
	case tanma.PushCustomerTag, tanma.PushTagInfo:
		var c tanma.CustomerTagChange
		if err := decode(env, &c); err != nil {
			return ev, false, err
		}
		ev.Kind, ev.CustomerID, ev.Owner = CustomerTags, c.CustomerID, c.QwSalesID
		ev.TagID, ev.QwTagID, ev.Removed = string(c.TagID), c.QwTagID, c.ChangeType == "del_qw_tag"
	case tanma.PushContactEdit:
		var c tanma.ContactEdit
		if err := decode(env, &c); err != nil {
			return ev, false, err
		}
		ev.Kind, ev.CustomerID = CustomerContact, c.CustomerID
	case tanma.PushNewCustomer:
		var c tanma.NewCustomer
		if err := decode(env, &c); err != nil {
			return ev, false, err
		}
		ev.Kind, ev.Owner, ev.ExternalUserID = NewCustomer, c.QwUserID, c.ExternalUserID
	case tanma.PushCorpTag:
		var c tanma.CorpTagChange
		if err := decode(env, &c); err != nil {
			return ev, false, err
		}
		ev.Kind, ev.TagID, ev.QwTagID, ev.Name = TagLibrary, string(c.TagID), c.QwTagID, c.CurrentName
		ev.Change = map[string]string{"create": "CREATED", "update": "UPDATED", "delete": "DELETED"}[c.ChangeType]
		if ev.Change == "" {
			ev.Change = "UPDATED"
		}
		ev.Target = "TAG"
		if c.TagType == "tag_group" {
			ev.Target, ev.TagID, ev.QwTagID = "TAG_GROUP", string(c.TagGroupID), c.TagGroupQwID
		}
	default:
		return ev, false, nil
	}
	if !ev.names() {
		// Empty content ({}, null): a change about nobody is no change.
		return ev, false, fmt.Errorf("%w: the content of %s names no customer or tag", tanma.ErrPushMalformed, env.Type)
	}
	return ev, true, nil
}

// names reports whether the event names what it is about, as its
// documented content does: a customer (by Tanma id, or a new one by its
// WeChat ids), or a tag.
func (e Event) names() bool {
	switch e.Kind {
	case CustomerTags, CustomerContact:
		return e.CustomerID > 0
	case NewCustomer:
		return e.ExternalUserID != "" || e.Owner != ""
	case TagLibrary:
		return e.TagID != "" || e.QwTagID != ""
	}
	return true
}

func decode(env tanma.PushEnvelope, into any) error {
	if err := json.Unmarshal(env.Content, into); err != nil {
		return fmt.Errorf("%w: the content of %s does not decode", tanma.ErrPushMalformed, env.Type)
	}
	return nil
}

// Customer reports whether the event is about a customer.
func (e Event) Customer() bool { return e.Kind != TagLibrary }
