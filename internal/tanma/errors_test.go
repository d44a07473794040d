package tanma_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// clientSentinels are the errors.Is targets of the Client's errors.
var clientSentinels = []error{
	tanma.ErrSignatureRejected, tanma.ErrClockSkew, tanma.ErrValidation, tanma.ErrDuplicatePhone,
	tanma.ErrRateLimited, tanma.ErrUnavailable, tanma.ErrBadResponse,
	tanma.ErrCircuitOpen, tanma.ErrUnknownOutcome, tanma.ErrLocalRateLimit,
}

// phone is an upstream digit run that must never reach an error's text.
const phone = "13812345678"

// answer replies with status, extra headers and body on every call.
func answer(status int, body string, header ...string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestClientErrorMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		opts           []tanma.Option
		reply          func(http.ResponseWriter, *http.Request, int)
		wantIs         []error // every other client sentinel must not match
		wantHTTP       int
		wantCode       int
		wantMessage    string // exact, after masking; "" to skip
		wantRetryAfter time.Duration
		wantCalls      int
		wantNotTanma   bool // an HTTP error without a Tanma envelope
	}{
		{
			name:        "code 1002 signature rejected",
			reply:       answer(200, `{"code":1002,"message":"签名校验未通过","data":null}`),
			wantIs:      []error{tanma.ErrSignatureRejected},
			wantHTTP:    200,
			wantCode:    1002,
			wantMessage: "签名校验未通过",
			wantCalls:   1,
		},
		{
			name:        "code 1003 clock skew, retried once, still skewed",
			reply:       answer(200, `{"code":1003,"message":"请求时间与服务器时间相差过大"}`),
			wantIs:      []error{tanma.ErrClockSkew},
			wantHTTP:    200,
			wantCode:    1003,
			wantMessage: "请求时间与服务器时间相差过大",
			wantCalls:   2,
		},
		{
			name:        "code 40417 duplicate phone",
			reply:       answer(200, `{"code":40417,"message":"请求参数验证失败：电话号码重复"}`),
			wantIs:      []error{tanma.ErrDuplicatePhone, tanma.ErrValidation},
			wantHTTP:    200,
			wantCode:    40417,
			wantMessage: "请求参数验证失败：电话号码重复",
			wantCalls:   1,
		},
		{
			name:        "code 40417 naming the phone number",
			reply:       answer(200, `{"code":40417,"message":"手机号`+phone+`重复"}`),
			wantIs:      []error{tanma.ErrDuplicatePhone, tanma.ErrValidation},
			wantHTTP:    200,
			wantCode:    40417,
			wantMessage: "手机号***********重复",
			wantCalls:   1,
		},
		{
			name:        "other validation failure by message prefix",
			reply:       answer(200, `{"code":400,"message":"请求参数验证失败：手机号`+phone+`格式错误"}`),
			wantIs:      []error{tanma.ErrValidation},
			wantHTTP:    200,
			wantCode:    400,
			wantMessage: "请求参数验证失败：手机号***********格式错误",
			wantCalls:   1,
		},
		{
			name:        "unknown code on http 200",
			reply:       answer(200, `{"code":12345,"message":"未知错误 `+phone+`"}`),
			wantIs:      nil,
			wantHTTP:    200,
			wantCode:    12345,
			wantMessage: "未知错误 ***********",
			wantCalls:   1,
		},
		{
			name:        "http 500 with an envelope",
			reply:       answer(500, `{"code":500,"message":"系统异常`+phone+`"}`),
			wantIs:      []error{tanma.ErrUnavailable},
			wantHTTP:    500,
			wantCode:    500,
			wantMessage: "系统异常***********",
			wantCalls:   3, // retried (see retry_test.go)
		},
		{
			name:         "http 502 with an html page",
			reply:        answer(502, `<html><body>502 Bad Gateway `+phone+`</body></html>`),
			wantIs:       []error{tanma.ErrUnavailable},
			wantHTTP:     502,
			wantCalls:    3, // retried (see retry_test.go)
			wantNotTanma: true,
		},
		{
			name:         "http 503 with no body",
			reply:        answer(503, ``),
			wantIs:       []error{tanma.ErrUnavailable},
			wantHTTP:     503,
			wantCalls:    3, // retried (see retry_test.go)
			wantNotTanma: true,
		},
		{
			// Not retried: the pause asked for is longer than DefaultRetryMaxDelay.
			name:           "http 429 with retry-after",
			reply:          answer(429, `{"code":429,"message":"请求过于频繁"}`, "Retry-After", "3"),
			wantIs:         []error{tanma.ErrRateLimited},
			wantHTTP:       429,
			wantCode:       429,
			wantRetryAfter: 3 * time.Second,
			wantCalls:      1,
		},
		{
			name:         "http 429 with an http-date retry-after",
			reply:        answer(429, `too many`, "Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
			wantIs:       []error{tanma.ErrRateLimited},
			wantHTTP:     429,
			wantCalls:    3, // retried (see retry_test.go)
			wantNotTanma: true,
		},
		{
			name:         "http 404 from a wrong base path",
			reply:        answer(404, `404 page not found`),
			wantIs:       nil,
			wantHTTP:     404,
			wantCalls:    1,
			wantNotTanma: true,
		},
		{
			name:        "http 400 with an envelope",
			reply:       answer(400, `{"code":400,"message":"Bad Request `+phone+`"}`),
			wantIs:      nil,
			wantHTTP:    400,
			wantCode:    400,
			wantMessage: "Bad Request ***********",
			wantCalls:   1,
		},
		{
			name:      "non-json body on http 200",
			reply:     answer(200, `<html>维护中 `+phone+`</html>`),
			wantIs:    []error{tanma.ErrBadResponse},
			wantHTTP:  200,
			wantCalls: 1,
		},
		{
			name:      "truncated json on http 200",
			reply:     answer(200, `{"code":0,"message":"ok","data":{"list":[{"customerId":`+phone),
			wantIs:    []error{tanma.ErrBadResponse},
			wantHTTP:  200,
			wantCalls: 1,
		},
		{
			name:      "answer bigger than the cap",
			opts:      []tanma.Option{tanma.WithMaxResponseBytes(64)},
			reply:     answer(200, `{"code":0,"message":"ok","data":{"list":[],"nextCursor":"`+strings.Repeat("A", 64)+`"}}`),
			wantIs:    []error{tanma.ErrBadResponse},
			wantHTTP:  200,
			wantCalls: 1,
		},
		{
			name:      "answer one byte over the cap",
			opts:      []tanma.Option{tanma.WithMaxResponseBytes(int64(len(okPage)))},
			reply:     answer(200, okPage+"\n"),
			wantIs:    []error{tanma.ErrBadResponse},
			wantHTTP:  200,
			wantCalls: 1,
		},
		{
			name:      "data of the wrong shape",
			reply:     answer(200, `{"code":0,"message":"ok","data":{"list":"`+phone+`"}}`),
			wantIs:    []error{tanma.ErrBadResponse},
			wantHTTP:  200,
			wantCalls: 1,
		},
		{
			name:      "a list that is not a list",
			reply:     answer(200, `{"code":0,"message":"ok","data":{"list":{"customerId":"x`+phone+`"}}}`),
			wantIs:    []error{tanma.ErrBadResponse},
			wantHTTP:  200,
			wantCalls: 1,
		},
		{
			name:      "data that is an array",
			reply:     answer(200, `{"code":0,"message":"ok","data":[1,2]}`),
			wantIs:    []error{tanma.ErrBadResponse},
			wantHTTP:  200,
			wantCalls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{reply: tt.reply}
			c := startRecorder(t, rec, tt.opts...)

			_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})

			require.Error(t, err)
			var apiErr *tanma.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tanma.PathListByQwUserID, apiErr.Endpoint)
			assert.Equal(t, tt.wantHTTP, apiErr.HTTPStatus)
			assert.Equal(t, tt.wantCode, apiErr.Code)
			if tt.wantMessage != "" {
				assert.Equal(t, tt.wantMessage, apiErr.Message)
			}
			assert.Equal(t, tt.wantRetryAfter, apiErr.RetryAfter)
			assertSentinels(t, err, tt.wantIs...)
			assert.Equal(t, tt.wantNotTanma, apiErr.NotTanma())
			reqs := rec.requests()
			assert.Len(t, reqs, tt.wantCalls, "upstream calls")
			assertNoLeak(t, err, signsOf(reqs), phone)
		})
	}
}

// assertSentinels checks that err matches exactly the given client sentinels.
func assertSentinels(t *testing.T, err error, want ...error) {
	t.Helper()
	for _, s := range clientSentinels {
		if containsErr(want, s) {
			assert.ErrorIs(t, err, s)
		} else {
			assert.NotErrorIs(t, err, s)
		}
	}
}

func containsErr(errs []error, target error) bool {
	for _, e := range errs {
		if e == target {
			return true
		}
	}
	return false
}

func signsOf(reqs []recorded) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Header.Get("sign"))
	}
	return out
}

// TestClientBadDataDoesNotLeakDigits: describing a wrongly typed number
// must not quote it (encoding/json puts the literal in the error for numbers
// it cannot fit).
func TestClientBadDataDoesNotLeakDigits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
	}{
		{"fraction into an int", `{"pageNo":` + phone + `.5,"result":[]}`},
		{"overflowing int", `{"pageNo":` + phone + phone + `,"result":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{reply: answer(200, `{"code":0,"message":"ok","data":`+tt.data+`}`)}
			c := startRecorder(t, rec)
			_, err := c.GetUsers(t.Context(), tanma.UsersRequest{PageNo: 1, PageSize: 100})
			assertSentinels(t, err, tanma.ErrBadResponse)
			assertNoLeak(t, err, signsOf(rec.requests()), phone)
		})
	}
}

// TestClientRedactsEchoedCredentials: the APIError contract is that its text
// never holds credentials or signatures, even if the upstream's message
// echoes what it received. (The vector key would hide the bug: its digit run
// 0123456789 is masked as a phone number would be.)
func TestClientRedactsEchoedCredentials(t *testing.T) {
	t.Parallel()
	const key tanma.Secret = "abcdefghijklmnopqrstuvwxyzABCDEF"
	rec := &recorder{reply: func(w http.ResponseWriter, r *http.Request, n int) {
		msg := "签名校验未通过: sign=" + r.Header.Get("sign") + " appKey=" + key.Reveal()
		answer(200, `{"code":1002,"message":"`+msg+`"}`)(w, r, n)
	}}
	c := startRecorder(t, rec, tanma.WithCredentials(testAppID, key))
	_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})
	assertSentinels(t, err, tanma.ErrSignatureRejected)
	assertNoLeak(t, err, signsOf(rec.requests()))
	assert.NotContains(t, err.Error(), key.Reveal())
}
