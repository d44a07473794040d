package eventstest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/events/eventstest"
)

func TestParseChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		payload      string
		withCustomer bool
		want         eventstest.Change
	}{
		{
			name:         "customer with the tag",
			payload:      `{"data":{"customerChanged":{"kind":"TAGS_CHANGED","customerId":"7","customer":{"customerId":"7","tags":[{"qwTagId":"other"},{"qwTagId":"t1"}]}}}}`,
			withCustomer: true,
			want:         eventstest.Change{CustomerID: "7", Tagged: true},
		},
		{
			name:         "customer without the tag, whatever tagRemoved says",
			payload:      `{"data":{"customerChanged":{"kind":"TAGS_CHANGED","customerId":"7","tagRemoved":false,"customer":{"tags":[{"qwTagId":"other"}]}}}}`,
			withCustomer: true,
			want:         eventstest.Change{CustomerID: "7"},
		},
		{
			name:         "customer selected but null",
			payload:      `{"data":{"customerChanged":{"kind":"TAGS_CHANGED","customerId":"7","customer":null}}}`,
			withCustomer: true,
			want:         eventstest.Change{CustomerID: "7", Tagged: true, Unknown: true},
		},
		{
			name:    "customer not selected: tagRemoved",
			payload: `{"data":{"customerChanged":{"kind":"TAGS_CHANGED","customerId":"7","tagRemoved":true}}}`,
			want:    eventstest.Change{CustomerID: "7"},
		},
		{
			name:         "RESYNC",
			payload:      `{"data":{"customerChanged":{"kind":"RESYNC","customerId":null,"customer":null}}}`,
			withCustomer: true,
			want:         eventstest.Change{Resync: true, Tagged: true},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := eventstest.ParseChange([]byte(tc.payload), "t1", tc.withCustomer)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	_, err := eventstest.ParseChange([]byte(`not json`), "t1", true)
	assert.Error(t, err)
}

func TestSettled(t *testing.T) {
	t.Parallel()
	tagged := func(id string) eventstest.Change { return eventstest.Change{CustomerID: id, Tagged: true} }
	untagged := func(id string) eventstest.Change { return eventstest.Change{CustomerID: id} }
	unknown := func(id string) eventstest.Change { return eventstest.Change{CustomerID: id, Unknown: true} }
	resync := eventstest.Change{Resync: true}
	final := map[string]bool{"1": true, "2": false}
	tests := []struct {
		name string
		got  []eventstest.Change
		want bool
	}{
		{name: "each customer's last event shows its final state", got: []eventstest.Change{untagged("1"), tagged("1"), untagged("2")}, want: true},
		{name: "a customer's last event shows an earlier state", got: []eventstest.Change{tagged("1"), tagged("2")}},
		{name: "a customer never heard of", got: []eventstest.Change{tagged("1")}},
		{name: "a RESYNC after the stale events", got: []eventstest.Change{untagged("1"), tagged("2"), resync}, want: true},
		{name: "a stale event after the RESYNC", got: []eventstest.Change{resync, untagged("1"), untagged("2")}},
		{name: "the last event could not read the customer", got: []eventstest.Change{tagged("1"), unknown("1"), untagged("2")}},
		{name: "nothing at all", got: nil},
		{name: "only a RESYNC", got: []eventstest.Change{resync}, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, eventstest.Settled(tc.got, final))
		})
	}
}
