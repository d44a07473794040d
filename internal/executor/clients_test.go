package executor_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/introspection"
	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/bench/queries"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/executor"
)

// graphqlJSIntrospection is graphql-js 16's getIntrospectionQuery with
// every option on: what GraphiQL, Apollo's tools and graphql-codegen send.
const graphqlJSIntrospection = `query IntrospectionQuery {
  __schema {
    description
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives {
      name description isRepeatable locations
      args(includeDeprecated: true) { ...InputValue }
    }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) {
    name description
    args(includeDeprecated: true) { ...InputValue }
    type { ...TypeRef }
    isDeprecated deprecationReason
  }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue {
  name description
  type { ...TypeRef }
  defaultValue isDeprecated deprecationReason
}
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}`

// relayStyle spreads one fragment per component on each customer, as a
// Relay page of 40 components would.
func relayStyle() string {
	var spreads, fragments strings.Builder
	for i := range 40 {
		fmt.Fprintf(&spreads, " ...C%d", i)
		fmt.Fprintf(&fragments, "\nfragment C%d on Customer { id __typename name owner { id __typename name } }", i)
	}
	return `query Relay($owner: ID!) { customers(ownerId: $owner, first: 5) { edges { node { id` + spreads.String() + ` } } } }` + fragments.String()
}

// TestClientDocumentsPass: the bounds checked before validation
// (MAX_FIELDS, the selections at one place) leave alone what clients send:
// README's dashboard query (as written, and as Apollo Client sends it,
// __typename in every selection), introspection as gqlgen and graphql-js
// write it, and a Relay page of many fragments on one object.
func TestClientDocumentsPass(t *testing.T) {
	t.Parallel()
	h := handlerWith(t, executor.Options{Introspection: auth.IntrospectionOn})
	owner := map[string]any{"owner": "dowen"}
	for _, tc := range []struct {
		name, query string
		variables   map[string]any
	}{
		{"README's dashboard", queries.Dashboard, owner},
		{"README's dashboard with follow-ups", queries.DashboardFollowUps, owner},
		{"README's dashboard as Apollo Client sends it", strings.ReplaceAll(queries.Dashboard, "{", "{ __typename"), owner},
		{"gqlgen's introspection", introspection.Query, nil},
		{"graphql-js introspection, every option", graphqlJSIntrospection, nil},
		{"Relay: 40 fragments on each customer", relayStyle(), owner},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, resp := postJSON(t, h, map[string]any{"query": tc.query, "variables": tc.variables})
			assert.Nil(t, resp["errors"])
			assert.NotEmpty(t, resp["data"])
		})
	}
}
