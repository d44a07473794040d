// Package apperr is the gateway's one error vocabulary: every code clients
// see in extensions.code (codes.go), the errors the gateway raises about a
// request (bad input, not found, forbidden), and how any error, upstream
// failures included, is shown to a client (Classify).
package apperr

import "fmt"

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

// LeftOut is the UPSTREAM_INVALID error for n entries of an answer of
// Tanma's left out as outside its documented shape, with extensions.leftOut
// saying how many; format as in fmt.Sprintf.
func LeftOut(n int, format string, args ...any) *Error {
	return &Error{Code: UpstreamInvalid, Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"leftOut": n}}
}

// Kind returns a message-less *Error for errors.Is: errors.Is(err, apperr.Kind(apperr.NotFound)).
func Kind(c Code) *Error { return &Error{Code: c} }
