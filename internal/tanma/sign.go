package tanma

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// Header names used by the upstream's signature scheme.
const (
	HeaderAppID     = "appId"
	HeaderTimestamp = "timestamp"
	HeaderSign      = "sign"
	HeaderAppKey    = "appKey"
)

// DefaultSkew is how far a request timestamp may be from the verifier's clock.
// Tanma does not document its window; five minutes is the common choice.
const DefaultSkew = 5 * time.Minute

// Verification failures, each a distinct sentinel for errors.Is.
var (
	ErrMissingHeader  = errors.New("tanma: missing signature header")
	ErrUnknownApp     = errors.New("tanma: unknown app id")
	ErrBadSignature   = errors.New("tanma: signature mismatch")
	ErrStaleTimestamp = errors.New("tanma: timestamp outside the allowed window")
)

// Sign returns lowercase hex SHA-256 of appID + timestamp + body + appKey:
// plain concatenation, no separators. timestamp is Unix milliseconds in decimal
// and body is the exact bytes sent (empty when there is none).
func Sign(appID, timestamp string, body []byte, appKey Secret) string {
	h := sha256.New()
	h.Write([]byte(appID))
	h.Write([]byte(timestamp))
	h.Write(body)
	h.Write([]byte(appKey.Reveal()))
	return hex.EncodeToString(h.Sum(nil))
}

// Timestamp formats t as the upstream expects: Unix milliseconds, decimal.
func Timestamp(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// Verify checks the signature headers of a request whose raw body is body,
// against the app's credentials, at time now with the allowed skew. It
// compares in constant time and returns one of the sentinel errors above.
func Verify(h http.Header, body []byte, appID string, appKey Secret, now time.Time, skew time.Duration) error {
	gotApp, ts, sig := h.Get(HeaderAppID), h.Get(HeaderTimestamp), h.Get(HeaderSign)
	if gotApp == "" || ts == "" || sig == "" {
		return ErrMissingHeader
	}
	if subtle.ConstantTimeCompare([]byte(gotApp), []byte(appID)) != 1 {
		return ErrUnknownApp
	}
	want := Sign(appID, ts, body, appKey)
	if subtle.ConstantTimeCompare([]byte(sig), []byte(want)) != 1 {
		return ErrBadSignature
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrStaleTimestamp
	}
	if d := now.Sub(time.UnixMilli(ms)); d > skew || d < -skew {
		return ErrStaleTimestamp
	}
	return nil
}
