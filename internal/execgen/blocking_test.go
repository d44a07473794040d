package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMayWait(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		graph typeGraph
		want  []string
	}{
		{"a leaf object never waits", typeGraph{"Tag": {}}, nil},
		{"a resolver waits", typeGraph{"Staff": {waits: true}}, []string{"Staff"}},
		{"through a field", typeGraph{
			"Customer": {children: []string{"Staff", "Tag"}},
			"Staff":    {waits: true},
			"Tag":      {},
		}, []string{"Customer", "Staff"}},
		{"through a cycle", typeGraph{
			"Customer":   {children: []string{"Staff"}},
			"Staff":      {children: []string{"Connection"}},
			"Connection": {children: []string{"Edge"}},
			"Edge":       {children: []string{"Customer", "FollowUps"}},
			"FollowUps":  {waits: true},
		}, []string{"Connection", "Customer", "Edge", "FollowUps", "Staff"}},
		{"a cycle that never waits", typeGraph{
			"Tag":      {children: []string{"TagGroup"}},
			"TagGroup": {children: []string{"Tag"}},
		}, nil},
		{"an interface waits when one implementation does", typeGraph{
			"Node":     {children: []string{"Customer", "Tag"}},
			"Customer": {waits: true},
			"Tag":      {},
		}, []string{"Customer", "Node"}},
		{"an interface of plain objects", typeGraph{
			"CustomerField":       {children: []string{"SelectCustomerField", "TextCustomerField"}},
			"SelectCustomerField": {children: []string{"SelectOption"}},
			"TextCustomerField":   {},
			"SelectOption":        {},
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for name, waits := range tc.graph.mayWait() {
				if waits {
					got = append(got, name)
				}
			}
			assert.ElementsMatch(t, tc.want, got)
		})
	}
}
