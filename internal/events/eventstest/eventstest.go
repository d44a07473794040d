// Package eventstest reads what a customerChanged subscriber received, for
// tests of the events' delivery contract under bursts: a subscription may
// coalesce events by customer and owe a RESYNC instead of every event, but
// in the end each subscriber holds every customer's final state, or a
// RESYNC after its last event about the customer (it refetches).
package eventstest

import (
	"encoding/json"
	"slices"
)

// Change is one customerChanged message: a RESYNC, or an event about a
// customer with whether the customer has the tag the test watches.
type Change struct {
	Resync     bool
	CustomerID string
	Tagged     bool
	Unknown    bool // the customer is selected but null (it could not be read)
}

// ParseChange reads a customerChanged payload ({"data": {"customerChanged":
// {kind customerId tagRemoved customer { tags { qwTagId } }}}}) for the tag
// qwTagID: Tagged is whether the customer has it when the customer is in
// the payload, else the event's !tagRemoved. withCustomer says the
// subscription selects the customer, so that a null one is Unknown.
func ParseChange(payload []byte, qwTagID string, withCustomer bool) (Change, error) {
	var p struct {
		Data struct {
			CustomerChanged struct {
				Kind       string
				CustomerID string
				TagRemoved bool
				Customer   *struct{ Tags []struct{ QwTagID string } }
			}
		}
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return Change{}, err
	}
	ch := p.Data.CustomerChanged
	c := Change{Resync: ch.Kind == "RESYNC", CustomerID: ch.CustomerID, Tagged: !ch.TagRemoved}
	switch {
	case ch.Customer != nil:
		c.Tagged = slices.ContainsFunc(ch.Customer.Tags, func(tg struct{ QwTagID string }) bool { return tg.QwTagID == qwTagID })
	case withCustomer && !c.Resync:
		c.Unknown = true
	}
	return c, nil
}

// Settled reports whether, for every customer of final (whether it has
// the tag in the end), the last of got about it is an event showing that
// state, or a RESYNC came after it.
func Settled(got []Change, final map[string]bool) bool {
	lastResync := -1
	last := map[string]int{}
	for i, c := range got {
		if c.Resync {
			lastResync = i
		} else {
			last[c.CustomerID] = i
		}
	}
	for id, tagged := range final {
		i, ok := last[id]
		if !ok {
			i = -1
		}
		if lastResync > i {
			continue
		}
		if !ok || got[i].Unknown || got[i].Tagged != tagged {
			return false
		}
	}
	return true
}
