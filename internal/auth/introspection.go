package auth

import "fmt"

// Introspection is who may read the schema: introspection queries
// (__schema, __type) and the SDL at /schema.graphql. One policy, checked
// in both places through Allows.
type Introspection string

// Introspection policies.
const (
	IntrospectionOn         Introspection = "on"         // everyone (development)
	IntrospectionPermission Introspection = "permission" // callers with the introspect permission
	IntrospectionOff        Introspection = "off"        // nobody
)

// ParseIntrospection reads an INTROSPECTION setting.
func ParseIntrospection(s string) (Introspection, error) {
	switch p := Introspection(s); p {
	case IntrospectionOn, IntrospectionPermission, IntrospectionOff:
		return p, nil
	}
	return "", fmt.Errorf("INTROSPECTION must be on, permission or off, got %q", s)
}

// Allows reports whether c may read the schema under the policy; the zero
// policy is IntrospectionPermission.
func (p Introspection) Allows(c Caller) bool {
	switch p {
	case IntrospectionOn:
		return true
	case IntrospectionOff:
		return false
	}
	return c.Can(PermIntrospect)
}
