package graph_test

import (
	"encoding/json"
	"strings"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// expected is what the GraphQL API should show of a sandbox customer,
// derived independently of graph/model from the raw upstream record.
type expected struct {
	id, createdAt          string
	mobiles                []string
	gender, birthday, name *string
}

func sandboxView(c tanma.Customer) expected {
	e := expected{id: c.CustomerID.String(), mobiles: []string{}}
	if c.CreateTime != nil {
		e.createdAt = strings.Replace(*c.CreateTime, " ", "T", 1) + "+08:00"
	}
	for _, f := range c.Fields {
		if f.ValueAsText == nil {
			continue
		}
		v := *f.ValueAsText
		switch f.Field {
		case "mobile":
			var ms []string
			if json.Unmarshal([]byte(v), &ms) == nil && len(ms) > 0 {
				e.mobiles = ms
			}
		case "gender":
			g := map[string]string{"0": "OTHER", "1": "MALE", "2": "FEMALE"}[v]
			e.gender = &g
		case "birthday":
			d := v[:10]
			e.birthday = &d
		case "name":
			e.name = &v
		}
	}
	return e
}
