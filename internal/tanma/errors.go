package tanma

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Known upstream answer codes (HTTP 200 with a non-zero code means failure).
const (
	CodeOK             = 0
	CodeBadSignature   = 1002  // 签名校验未通过
	CodeClockSkew      = 1003  // 请求时间与服务器时间相差过大
	CodeDuplicatePhone = 40417 // 请求参数验证失败：电话号码重复
)

// ValidationPrefix starts the message of every upstream validation failure.
const ValidationPrefix = "请求参数验证失败："

// Sentinels for errors.Is on errors returned by the Client.
var (
	// ErrSignatureRejected: the upstream rejected our signature (code 1002).
	ErrSignatureRejected = errors.New("tanma: signature rejected by upstream")
	// ErrClockSkew: the upstream found our timestamp too far off (code 1003).
	ErrClockSkew = errors.New("tanma: timestamp rejected by upstream")
	// ErrValidation: the upstream rejected the request parameters.
	ErrValidation = errors.New("tanma: request validation failed")
	// ErrDuplicatePhone: a write used a phone number another customer has (code 40417).
	ErrDuplicatePhone = errors.New("tanma: duplicate phone number")
	// ErrRateLimited: the upstream asked us to slow down (HTTP 429).
	ErrRateLimited = errors.New("tanma: rate limited by upstream")
	// ErrUnavailable: the upstream could not be reached or failed (network, timeout, HTTP 5xx).
	ErrUnavailable = errors.New("tanma: upstream unavailable")
	// ErrBadResponse: the upstream answered something that is not a valid envelope.
	ErrBadResponse = errors.New("tanma: malformed upstream response")
	// ErrOutsideShape: a valid envelope (Tanma's own, code 0) whose data is
	// outside the endpoint's documented shape (Invalid). It also matches
	// ErrBadResponse.
	ErrOutsideShape = errors.New("outside the documented shape")
	// ErrCircuitOpen: the endpoint's circuit breaker is open after repeated
	// failures, so the call failed fast without reaching the upstream. It also
	// matches ErrUnavailable.
	ErrCircuitOpen = errors.New("tanma: circuit open, call not sent")
	// ErrUnknownOutcome: a write was sent but no answer came back (transport
	// error, timeout, cancellation, or a gateway's 502/504), so it may or may
	// not have taken effect. It also matches ErrUnavailable.
	ErrUnknownOutcome = errors.New("tanma: write sent, outcome unknown")
	// ErrLocalRateLimit: the gateway's own QPS limit for the upstream (not the
	// upstream's) would make the call wait past its deadline; nothing was
	// sent. It also matches ErrRateLimited.
	ErrLocalRateLimit = errors.New("tanma: the gateway's own upstream QPS limit (not the upstream's) would delay the call past its deadline")
)

// APIError is every failure of an upstream call: a transport error, an HTTP
// status outside 2xx, an undecodable answer, an answer with code != 0, or a
// call the client refused to send (open circuit, local rate limit, the
// caller's context ending first).
// Its text never contains credentials, signatures or long digit runs.
type APIError struct {
	Endpoint   string        // upstream path, e.g. /api/v3/customer-relation/list-by-qw-user-id
	HTTPStatus int           // HTTP status, 0 when no answer arrived
	Code       int           // envelope code, 0 when there was no envelope
	Message    string        // envelope message (digit runs masked)
	RetryAfter time.Duration // from Retry-After when the upstream sent one
	Err        error         // underlying cause (transport or decoding), if any
}

var _ error = (*APIError)(nil)

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("tanma: ")
	b.WriteString(e.Endpoint)
	if e.HTTPStatus != 0 && (e.HTTPStatus < 200 || e.HTTPStatus > 299) {
		fmt.Fprintf(&b, ": http %d", e.HTTPStatus)
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, ": code %d", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// NotTanma reports an HTTP error status that came without a Tanma
// envelope (an HTML page, a proxy's answer): what a wrong base URL or host
// gets, as opposed to Tanma refusing a call.
func (e *APIError) NotTanma() bool {
	return e.HTTPStatus != 0 && (e.HTTPStatus < 200 || e.HTTPStatus > 299) && e.Code == 0 && e.Err == nil
}

// Reason says what was wrong with an answer that could not be used
// (ErrBadResponse), in the words of the check that refused it: which part
// and which type, never its content.
func (e *APIError) Reason() string {
	if e.Err == nil {
		return ""
	}
	why := strings.TrimPrefix(e.Err.Error(), ErrBadResponse.Error()+": ")
	return strings.TrimPrefix(why, ErrOutsideShape.Error()+": ")
}

// Unwrap exposes the cause, so context.DeadlineExceeded and the like match.
func (e *APIError) Unwrap() error { return e.Err }

// Is matches the package sentinels by classifying the error.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrSignatureRejected:
		return e.Code == CodeBadSignature
	case ErrClockSkew:
		return e.Code == CodeClockSkew
	case ErrDuplicatePhone:
		return e.Code == CodeDuplicatePhone
	case ErrValidation:
		return e.Code == CodeDuplicatePhone || strings.HasPrefix(e.Message, ValidationPrefix)
	case ErrRateLimited:
		// The upstream's HTTP 429, or the gateway's own limit (ErrLocalRateLimit).
		return e.HTTPStatus == http.StatusTooManyRequests || errors.Is(e.Err, ErrLocalRateLimit)
	case ErrUnavailable:
		// HTTP 5xx, or no complete answer at all (network, timeout, cut-off
		// body, open circuit, unknown write outcome).
		return e.HTTPStatus >= 500 || (e.Code == 0 && e.Err != nil &&
			!errors.Is(e.Err, ErrBadResponse) && !errors.Is(e.Err, ErrLocalRateLimit))
	case ErrBadResponse:
		return errors.Is(e.Err, ErrBadResponse)
	}
	return false
}

// digitRun matches runs long enough to be a phone or id number.
var digitRun = regexp.MustCompile(`\d{7,}`)

// maskDigits hides long digit runs (phone numbers) in upstream messages.
func maskDigits(s string) string {
	return digitRun.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat("*", len(m)) })
}
