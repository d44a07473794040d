package auth

import "errors"

// Why a request was not authenticated; every *Error wraps one of these.
var (
	ErrMissingCredentials     = errors.New("missing credentials")
	ErrMultipleCredentials    = errors.New("more than one credential")
	ErrMalformedCredentials   = errors.New("malformed credentials")
	ErrUnsupportedCredentials = errors.New("unsupported credentials")
	ErrInvalidAPIKey          = errors.New("invalid API key")
	ErrInvalidToken           = errors.New("invalid token")
)

// Error is an authentication failure. Its message says what is wrong and never
// contains a credential or its hash, so it is safe to show to the client.
type Error struct {
	Reason  error  // one of the Err* values of this package
	Message string // shown to the client
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Unwrap returns the reason, for errors.Is.
func (e *Error) Unwrap() error { return e.Reason }

func fail(reason error, message string) *Error { return &Error{Reason: reason, Message: message} }
