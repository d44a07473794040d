package tanma

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"
)

// envelope is the upstream's answer shape.
type envelope struct {
	Code    *int            `json:"code"` // nil: not an envelope
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// decode is the one place an upstream answer becomes a result or an error:
// the envelope first (once per HTTP answer, shared by every caller of a
// shared call), then its data into out (once per caller).
func (c *Client) decode(path, sign string, status int, header http.Header, data []byte, out any) error {
	raw, err := c.decodeEnvelope(path, sign, status, header, data)
	if err != nil {
		return err
	}
	return decodeData(path, status, raw, out)
}

// decodeEnvelope checks an answer's status and envelope and returns its data
// (nil when absent or null); every failure is an *APIError.
func (c *Client) decodeEnvelope(path, sign string, status int, header http.Header, data []byte) (json.RawMessage, error) {
	if int64(len(data)) > c.maxBody {
		if status < 200 || status > 299 {
			// The status says what failed; the body is not read.
			return nil, &APIError{Endpoint: path, HTTPStatus: status, RetryAfter: retryAfter(header)}
		}
		return nil, &APIError{Endpoint: path, HTTPStatus: status,
			Err: fmt.Errorf("%w: answer larger than %d bytes", ErrBadResponse, c.maxBody)}
	}
	var env envelope
	envErr := unmarshal(data, &env)
	if envErr == nil && env.Code == nil {
		envErr = errors.New("no code: not a Tanma answer")
	}
	if status < 200 || status > 299 {
		e := &APIError{Endpoint: path, HTTPStatus: status, RetryAfter: retryAfter(header)}
		if envErr == nil {
			e.Code, e.Message = *env.Code, c.safeMessage(env.Message, sign)
		}
		return nil, e
	}
	if envErr != nil {
		return nil, &APIError{Endpoint: path, HTTPStatus: status,
			Err: fmt.Errorf("%w: %s", ErrBadResponse, describeJSONError(envErr))}
	}
	if *env.Code != CodeOK {
		return nil, &APIError{Endpoint: path, HTTPStatus: status, Code: *env.Code,
			Message: c.safeMessage(env.Message, sign), RetryAfter: retryAfter(header)}
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return nil, nil
	}
	return env.Data, nil
}

// decodeData decodes a success answer's data into out (nil to discard).
// json.Unmarshal never writes to data, so one answer can feed many callers.
func decodeData(path string, status int, data json.RawMessage, out any) error {
	if out == nil || len(data) == 0 {
		return nil
	}
	err := unmarshal(data, out)
	if l, ok := out.(lenientDecoder); ok && err != nil {
		// One odd value must not cost a whole page: decode it part by part.
		err = l.decodeLenient(data)
	}
	if err != nil {
		return &APIError{Endpoint: path, HTTPStatus: status,
			Err: fmt.Errorf("%w: data: %s", ErrBadResponse, describeJSONError(err))}
	}
	return nil
}

// safeMessage makes an upstream message safe to keep in an error: anything
// echoing the app key or this request's signature is redacted, and long digit
// runs (phone numbers) are masked.
func (c *Client) safeMessage(msg, sign string) string {
	secrets := []string{c.appKey.Reveal(), sign}
	for _, secret := range secrets {
		if secret != "" {
			msg = strings.ReplaceAll(msg, secret, redacted)
		}
	}
	msg = maskDigits(msg)
	for _, secret := range secrets {
		if secret != "" && strings.Contains(msg, secret) {
			return redacted // the redaction itself re-formed a secret: keep nothing
		}
	}
	return msg
}

// unmarshal decodes upstream JSON with github.com/goccy/go-json, a drop-in
// decoder about four times as fast as encoding/json on customer pages (the
// gateway's hottest path: see bench/README.md). A panic inside it on hostile
// input becomes an error, never a crashed process.
func unmarshal(data []byte, out any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("the JSON decoder failed")
		}
	}()
	return gojson.Unmarshal(data, out)
}

// describeJSONError names what went wrong without quoting the payload.
func describeJSONError(err error) string {
	var se *gojson.SyntaxError
	var te *gojson.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "invalid JSON at offset " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		kind, _, _ := strings.Cut(te.Value, " ") // "number 13812345678.5": keep "number" only
		return fmt.Sprintf("field %q: cannot decode a %s into %s", te.Field, kind, te.Type)
	default:
		return "undecodable JSON"
	}
}

// retryAfter reads a Retry-After header in seconds (HTTP dates are ignored).
func retryAfter(h http.Header) time.Duration {
	s, err := strconv.Atoi(h.Get("Retry-After"))
	if err != nil || s < 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}
