package apperr

import "net/http"

// Code is an error code clients see in extensions.code.
type Code string

// Every code of the public surface, declared once here (README, "Errors",
// is checked against this list; the metrics' outcome labels and the
// transports' HTTP statuses are derived from it).
const (
	// BadRequest: the HTTP request is not a GraphQL request (a body that is
	// not JSON GraphQL parameters, too large, a wrong method or media type,
	// a malformed persistedQuery extension).
	BadRequest Code = "BAD_REQUEST"
	// GraphQLParseFailed and GraphQLValidationFailed are gqlgen's own: the
	// document does not parse, or does not fit the schema.
	GraphQLParseFailed      Code = "GRAPHQL_PARSE_FAILED"
	GraphQLValidationFailed Code = "GRAPHQL_VALIDATION_FAILED"
	// QueryLimitExceeded: too many fields, too deep, too many aliases, root
	// fields or directives.
	QueryLimitExceeded Code = "QUERY_LIMIT_EXCEEDED"
	// ComplexityLimitExceeded: the operation's cost is over the budget.
	ComplexityLimitExceeded Code = "COMPLEXITY_LIMIT_EXCEEDED"
	// BadUserInput: an argument is wrong.
	BadUserInput Code = "BAD_USER_INPUT"
	// Unauthenticated: no credential, or a wrong one.
	Unauthenticated Code = "UNAUTHENTICATED"
	// Forbidden: the caller may not do or see this.
	Forbidden Code = "FORBIDDEN"
	// NotFound: no object has that id.
	NotFound Code = "NOT_FOUND"
	// RateLimited: a budget, the upstream quota, or the gateway's capacity
	// is spent for now; extensions.retryAfter says when to retry.
	RateLimited Code = "RATE_LIMITED"
	// UpstreamError: Tanma refused the call or answered something unusable.
	UpstreamError Code = "UPSTREAM_ERROR"
	// UpstreamUnavailable: Tanma could not be reached, timed out or failed.
	UpstreamUnavailable Code = "UPSTREAM_UNAVAILABLE"
	// UpstreamInvalid: Tanma answered outside its documented shape (missing
	// data, a repeating cursor, an item without id, a value of the wrong
	// type): the part it concerns is null or left out, never made up.
	UpstreamInvalid Code = "UPSTREAM_INVALID"
	// PersistedQueryNotFound is gqlgen's APQ answer to an unknown hash.
	PersistedQueryNotFound Code = "PERSISTED_QUERY_NOT_FOUND"
	// PersistedQueryNotAllowed: only trusted documents may run, and this
	// one is not among them.
	PersistedQueryNotAllowed Code = "PERSISTED_QUERY_NOT_ALLOWED"
	// PersistedQueryHashMismatch: the document does not hash to the hash
	// sent with it.
	PersistedQueryHashMismatch Code = "PERSISTED_QUERY_HASH_MISMATCH"
	// UpstreamUnknownOutcome: a write was sent but no answer came back, so
	// it may or may not have happened; it is never retried blindly.
	UpstreamUnknownOutcome Code = "UPSTREAM_UNKNOWN_OUTCOME"
	// Conflict: the write clashes with existing data (a phone number
	// another customer has).
	Conflict Code = "CONFLICT"
	// Internal: a bug, logged and shown without details.
	Internal Code = "INTERNAL"
)

// spec is what the gateway does with a code besides showing it.
type spec struct {
	// request: it refuses the request before the operation runs (a request
	// error: no data; HTTP 400 for clients that accept
	// application/graphql-response+json, 200 for application/json).
	request bool
	// status is the HTTP status when the gateway answers with this code
	// alone, before GraphQL runs (0: none of its own).
	status int
}

// specs lists every code, in README's order.
var specs = []struct {
	code Code
	spec
}{
	{BadRequest, spec{request: true, status: http.StatusBadRequest}},
	{GraphQLParseFailed, spec{request: true}},
	{GraphQLValidationFailed, spec{request: true}},
	{QueryLimitExceeded, spec{request: true}},
	{ComplexityLimitExceeded, spec{request: true}},
	{BadUserInput, spec{}},
	{Unauthenticated, spec{status: http.StatusUnauthorized}},
	{Forbidden, spec{request: true, status: http.StatusForbidden}},
	{NotFound, spec{}},
	{RateLimited, spec{status: http.StatusTooManyRequests}},
	{UpstreamError, spec{}},
	{UpstreamUnavailable, spec{}},
	{UpstreamInvalid, spec{}},
	{PersistedQueryNotFound, spec{}}, // 200: APQ clients expect it so
	{PersistedQueryNotAllowed, spec{request: true}},
	{PersistedQueryHashMismatch, spec{request: true}},
	{UpstreamUnknownOutcome, spec{}},
	{Conflict, spec{}},
	{Internal, spec{}},
}

// Codes returns every code, in README's order.
func Codes() []Code {
	out := make([]Code, len(specs))
	for i, s := range specs {
		out[i] = s.code
	}
	return out
}

func (c Code) spec() (spec, bool) {
	for _, s := range specs {
		if s.code == c {
			return s.spec, true
		}
	}
	return spec{}, false
}

// Known reports whether c is one of Codes.
func (c Code) Known() bool {
	_, ok := c.spec()
	return ok
}

// RequestError reports whether the code refuses a request before its
// operation runs (a GraphQL over HTTP "request error").
func (c Code) RequestError() bool {
	s, _ := c.spec()
	return s.request
}

// Status is the HTTP status of an answer the gateway gives with this code
// alone, before GraphQL runs (BAD_REQUEST 400, UNAUTHENTICATED 401,
// FORBIDDEN 403, RATE_LIMITED 429), and 200 for any other code.
func (c Code) Status() int {
	if s, _ := c.spec(); s.status != 0 {
		return s.status
	}
	return http.StatusOK
}
