package sandbox_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// Paths of the endpoints added after the customer list and search, spelled
// out so the wire contract does not depend on the client package.
const (
	epPathFields    = "/api/v2/customer/list-fields"
	epPathTagTree   = "/api/v3/tags/list-tree"
	epPathUsers     = "/api/v3/get-users"
	epPathUserDepts = "/api/v3/contract/user-department"
	epPathFollowUps = "/api/v3/clue/list-follow-up"
	epPathRelation  = "/api/v3/customer-relation/list-by-relation-create-time-asc"
)

// epBody encodes v as a request body, UTF-8 unescaped as the client sends it.
func epBody(t testing.TB, v any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// epData posts body to path, asserts success and decodes data into out.
func epData(t testing.TB, h http.Handler, path, body string, out any) {
	t.Helper()
	data := okData(t, post(h, path, body))
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("%s data: %v\n%.400s", path, err, data)
	}
}

// epOrderedData posts body to path, asserts success and returns data decoded
// with key order and JSON number types kept.
func epOrderedData(t testing.TB, h http.Handler, path, body string) any {
	t.Helper()
	data := okData(t, post(h, path, body))
	v, err := decodeOrdered(data)
	if err != nil {
		t.Fatalf("%s data: %v", path, err)
	}
	return v
}

// epObject asserts v is an object with exactly keys, in that order.
func epObject(t testing.TB, what string, v any, keys ...string) jsonObject {
	t.Helper()
	obj, ok := v.(jsonObject)
	if !ok {
		t.Fatalf("%s = %#v, want an object", what, v)
	}
	if !slices.Equal(obj.keys(), keys) {
		t.Fatalf("%s keys %q, want %q", what, obj.keys(), keys)
	}
	return obj
}

// epArray asserts v is an array (never null).
func epArray(t testing.TB, what string, v any) []any {
	t.Helper()
	arr, ok := v.([]any)
	if !ok {
		t.Fatalf("%s = %#v, want an array", what, v)
	}
	return arr
}

// epMember returns obj[key].
func epMember(obj jsonObject, key string) any {
	v, _ := obj.member(key)
	return v
}

// epInteger asserts v is a bare JSON integer and returns its text.
func epInteger(t testing.TB, what string, v any) string {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok || !(decimalID.MatchString(n.String()) || n.String() == "0") {
		t.Fatalf("%s = %#v, want a JSON integer", what, v)
	}
	return n.String()
}

// epString asserts v is a JSON string.
func epString(t testing.TB, what string, v any) string {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%s = %#v, want a string", what, v)
	}
	return s
}

// epBool asserts v is a JSON boolean.
func epBool(t testing.TB, what string, v any) bool {
	t.Helper()
	b, ok := v.(bool)
	if !ok {
		t.Fatalf("%s = %#v, want a boolean", what, v)
	}
	return b
}
