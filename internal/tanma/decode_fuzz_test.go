package tanma

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// fuzzKey has no long digit run, so masking cannot hide a leak.
const fuzzKey Secret = "abcdefghijklmnopqrstuvwxyzABCDEF"

// fuzzSign stands for the request's signature.
const fuzzSign = "004a4d3ff1cb3940c7c2fe22fec20429ca6c1645742dc5698531f67aec4fab2c"

// FuzzDecode feeds arbitrary answers to the one decode path: it never
// panics, fails only with an *APIError, and never puts the app key or the
// signature in an error's text.
func FuzzDecode(f *testing.F) {
	for _, s := range []struct {
		status     int
		retryAfter string
		body       string
		kind       uint8
	}{
		{200, "", `{"code":0,"message":"ok","data":{"list":[{"customerId":398604120668224}],"nextCursor":"x"}}`, 0},
		{200, "", `{"code":0,"data":{"totalPage":1,"data":[{"customerId":"1","396800000000001":"x"}]}}`, 1},
		{200, "", `{"code":0,"data":[{"id":1,"name":"g","tags":[{"id":2}]}]}`, 2},
		{200, "", `{"code":1002,"message":"签名校验未通过 ` + string(fuzzKey) + ` ` + fuzzSign + `"}`, 0},
		{200, "", `{"code":40417,"message":"请求参数验证失败：13812345678"}`, 0},
		{500, "", `{"code":500,"message":"` + string(fuzzKey) + `"}`, 0},
		{429, "3", `{"code":429}`, 0},
		{429, "-1", ``, 0},
		{502, "", `<html>` + string(fuzzKey) + `</html>`, 0},
		{200, "", `{"code":0,"data":{"list":"` + string(fuzzKey) + `"}}`, 0},
		{200, "", `{"code":0,"data":{"list":[{"customerId":1,"type":1e400}]}}`, 0},
		{200, "", `{"code":1,"message":"abc\u0064efghijklmnopqrstuvwxyzABCDEF"}`, 0},
		{200, "", `null`, 0},
		{200, "", `{`, 0},
		{0, "", ``, 0},
		{-1, "", `{"code":0}`, 0},
	} {
		f.Add(s.status, s.retryAfter, []byte(s.body), s.kind)
	}
	c, err := NewClient(WithCredentials("ww0000000000000000_TEST01", fuzzKey), WithMaxResponseBytes(4<<10))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte, kind uint8) {
		header := http.Header{}
		header.Set("Retry-After", retryAfter)
		var out any
		switch kind % 4 {
		case 0:
			out = &CustomerPage{}
		case 1:
			out = &SearchPage{}
		case 2:
			out = &[]TagGroup{}
		case 3:
			out = nil
		}
		err := c.decode(PathListByQwUserID, fuzzSign, status, header, body, out)
		if err == nil {
			if status < 200 || status > 299 {
				t.Fatalf("status %d decoded as success", status)
			}
			return
		}
		e, ok := err.(*APIError)
		if !ok {
			t.Fatalf("error %T is not an *APIError", err)
		}
		if e.Endpoint != PathListByQwUserID {
			t.Fatalf("endpoint %q", e.Endpoint)
		}
		msg := err.Error()
		if strings.Contains(msg, fuzzKey.Reveal()) {
			t.Fatalf("app key in error: %q", msg)
		}
		if strings.Contains(msg, fuzzSign) {
			t.Fatalf("signature in error: %q", msg)
		}
		if errors.Is(err, ErrBadResponse) && errors.Is(err, ErrUnavailable) {
			t.Fatalf("both malformed and unavailable: %q", msg)
		}
	})
}
