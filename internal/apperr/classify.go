package apperr

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Classify is how any error is shown to a client: its code, a message safe
// to show, and extensions to add. An *Error shows as itself; Tanma's
// failures (*tanma.APIError) by what happened, never with the upstream's
// address, body or message; a deadline or cancellation as such; anything
// else is INTERNAL (a bug: the caller logs it).
func Classify(err error) (Code, string, map[string]any) {
	var ae *Error
	if errors.As(err, &ae) {
		return ae.Code, ae.Message, ae.Extensions
	}
	var te *tanma.APIError
	if !errors.As(err, &te) {
		if errors.Is(err, context.DeadlineExceeded) {
			return UpstreamUnavailable, "the request ran out of time", nil
		}
		if errors.Is(err, context.Canceled) {
			return UpstreamUnavailable, "the request was cancelled", nil
		}
		return Internal, "internal error", nil
	}
	switch {
	case errors.Is(te, tanma.ErrLocalRateLimit):
		return RateLimited, "the gateway is at its Tanma API quota: retry shortly",
			map[string]any{"retryAfter": 1}
	case errors.Is(te, tanma.ErrRateLimited):
		secs := max(1, int(math.Ceil(te.RetryAfter.Seconds())))
		return RateLimited, "the Tanma API is rate limiting this gateway: retry later",
			map[string]any{"retryAfter": secs}
	case errors.Is(te, tanma.ErrUnknownOutcome):
		return UpstreamUnknownOutcome, "the write was sent to Tanma but no answer came back: it may or may not have happened; read the data before trying again", nil
	case errors.Is(te, tanma.ErrDuplicatePhone):
		return Conflict, "another customer already has this phone number", map[string]any{"upstreamCode": te.Code}
	case errors.Is(te, tanma.ErrUnavailable):
		return UpstreamUnavailable, unavailable(te), nil
	case errors.Is(te, tanma.ErrSignatureRejected), errors.Is(te, tanma.ErrClockSkew):
		return UpstreamError, fmt.Sprintf("the Tanma API rejected the gateway's signature (code %d): check the app credentials and clock", te.Code),
			map[string]any{"upstreamCode": te.Code}
	case errors.Is(te, tanma.ErrBadResponse):
		return UpstreamInvalid, "the Tanma API answered outside its documented shape (" + te.Reason() + ")", nil
	}
	if te.NotTanma() {
		return UpstreamError, fmt.Sprintf("the upstream answered HTTP %d, not a Tanma answer (the gateway's upstream address may be wrong)", te.HTTPStatus),
			map[string]any{"upstreamStatus": te.HTTPStatus}
	}
	ext := map[string]any{}
	if te.Code != 0 {
		ext["upstreamCode"] = te.Code
	}
	return UpstreamError, fmt.Sprintf("the Tanma API refused the request (code %d)", te.Code), ext
}

// unavailable says what happened to a call that got no usable answer:
// what the caller may act on, nothing of the upstream's address.
func unavailable(te *tanma.APIError) string {
	switch {
	case errors.Is(te, tanma.ErrCircuitOpen):
		return "the Tanma API failed repeatedly: calls to it are paused for a few seconds (circuit open); retry later"
	case te.HTTPStatus >= 500 && te.NotTanma():
		return fmt.Sprintf("the upstream answered HTTP %d, not a Tanma answer: unavailable, retry later", te.HTTPStatus)
	case te.HTTPStatus >= 500:
		return fmt.Sprintf("the Tanma API answered HTTP %d: unavailable, retry later", te.HTTPStatus)
	case errors.Is(te, context.DeadlineExceeded), isTimeout(te):
		return "the Tanma API did not answer in time: retry later"
	}
	return "the Tanma API could not be reached: retry later"
}

// isTimeout: the cause is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
