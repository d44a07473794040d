// Package apperr holds the errors the gateway itself raises about a request
// (bad input, not found, forbidden), each carrying the GraphQL
// extensions.code the error presenter sends to clients. Upstream failures are
// typed by internal/tanma instead.
package apperr

import "fmt"

// Code is an error code clients see in extensions.code.
type Code string

// The codes of the public surface (see README, "Errors").
const (
	BadUserInput        Code = "BAD_USER_INPUT"
	Unauthenticated     Code = "UNAUTHENTICATED"
	Forbidden           Code = "FORBIDDEN"
	NotFound            Code = "NOT_FOUND"
	RateLimited         Code = "RATE_LIMITED"
	UpstreamError       Code = "UPSTREAM_ERROR"
	UpstreamUnavailable Code = "UPSTREAM_UNAVAILABLE"
	// Conflict: the write clashes with existing data (a phone number
	// another customer has).
	Conflict Code = "CONFLICT"
	// UpstreamUnknownOutcome: a write was sent but no answer came back, so
	// it may or may not have happened; it is never retried blindly.
	UpstreamUnknownOutcome Code = "UPSTREAM_UNKNOWN_OUTCOME"
	Internal               Code = "INTERNAL"
)

// Error is a request error whose message is safe to show to the caller. A
// message never echoes what the caller sent (it may be personal data, such
// as a phone number typed into an id): it names the argument or position.
type Error struct {
	Code    Code
	Message string
	// Extensions (may be nil) are added to the GraphQL error's extensions,
	// e.g. {"field": "birthday"} naming the input field at fault.
	Extensions map[string]any
}

func (e *Error) Error() string { return e.Message }

// Is lets errors.Is match any *Error of the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// BadInput is a BAD_USER_INPUT error; format as in fmt.Sprintf.
func BadInput(format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf is a NOT_FOUND error; format as in fmt.Sprintf.
func NotFoundf(format string, args ...any) *Error {
	return &Error{Code: NotFound, Message: fmt.Sprintf(format, args...)}
}

// Kind returns a message-less *Error for errors.Is: errors.Is(err, apperr.Kind(apperr.NotFound)).
func Kind(c Code) *Error { return &Error{Code: c} }
