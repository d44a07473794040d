package sandbox_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestSignatureRejected checks that every way of getting the signature
// headers wrong is answered as upstream does: HTTP 200, code 1002 or 1003,
// the upstream message and "data": null.
func TestSignatureRejected(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{} // the zero value serves with the default credentials
	body := []byte(`{"qwUserId":"dowen","size":1}`)
	tests := []struct {
		name    string
		req     func() *http.Request
		code    int
		message string
	}{
		{
			name: "missing appId",
			req: func() *http.Request {
				r := signedRequest(pathList, body, defaultCreds())
				r.Header.Del("appId")
				return r
			},
			code:    tanma.CodeBadSignature,
			message: msgBadSignature,
		},
		{
			name: "missing timestamp",
			req: func() *http.Request {
				r := signedRequest(pathList, body, defaultCreds())
				r.Header.Del("timestamp")
				return r
			},
			code:    tanma.CodeBadSignature,
			message: msgBadSignature,
		},
		{
			name: "missing sign",
			req: func() *http.Request {
				r := signedRequest(pathList, body, defaultCreds())
				r.Header.Del("sign")
				return r
			},
			code:    tanma.CodeBadSignature,
			message: msgBadSignature,
		},
		{
			name: "no headers at all",
			req: func() *http.Request {
				r := signedRequest(pathList, body, defaultCreds())
				r.Header = http.Header{"Content-Type": {"application/json"}}
				return r
			},
			code:    tanma.CodeBadSignature,
			message: msgBadSignature,
		},
		{
			name: "body changed after signing",
			req: func() *http.Request {
				signed := signedRequest(pathList, body, defaultCreds())
				r := signedRequest(pathList, []byte(`{"qwUserId":"dowen","size":2}`), defaultCreds())
				r.Header = signed.Header
				return r
			},
			code:    tanma.CodeBadSignature,
			message: msgBadSignature,
		},
		{
			name: "wrong key",
			req: func() *http.Request {
				c := defaultCreds()
				c.key = "not-the-app-key"
				return signedRequest(pathList, body, c)
			},
			code:    tanma.CodeBadSignature,
			message: msgBadSignature,
		},
		{
			name: "unknown app id signed with its own key",
			req: func() *http.Request {
				c := defaultCreds()
				c.appID = "ww0000000000000000_OTHER"
				return signedRequest(pathList, body, c)
			},
			code:    tanma.CodeBadSignature,
			message: msgBadSignature,
		},
		{
			name: "timestamp changed after signing",
			req: func() *http.Request {
				r := signedRequest(pathList, body, defaultCreds())
				r.Header.Set("timestamp", tanma.Timestamp(time.Now().Add(-time.Second)))
				return r
			},
			code:    tanma.CodeBadSignature,
			message: msgBadSignature,
		},
		{
			name: "appKey header does not replace the signature",
			req: func() *http.Request {
				r := signedRequest(pathList, body, defaultCreds())
				r.Header.Del("sign")
				r.Header.Set("appKey", string(sandbox.DefaultAppKey))
				return r
			},
			code:    tanma.CodeBadSignature,
			message: msgBadSignature,
		},
		{
			name: "timestamp 10 minutes in the past",
			req: func() *http.Request {
				c := defaultCreds()
				c.at = c.at.Add(-10 * time.Minute)
				return signedRequest(pathList, body, c)
			},
			code:    tanma.CodeClockSkew,
			message: msgClockSkew,
		},
		{
			name: "timestamp 10 minutes in the future",
			req: func() *http.Request {
				c := defaultCreds()
				c.at = c.at.Add(10 * time.Minute)
				return signedRequest(pathList, body, c)
			},
			code:    tanma.CodeClockSkew,
			message: msgClockSkew,
		},
		{
			name: "timestamp in seconds instead of milliseconds",
			req: func() *http.Request {
				// A well-signed request whose timestamp is Unix seconds reads
				// as January 1970 in milliseconds: far outside the window.
				r := signedRequest(pathList, body, defaultCreds())
				ts := tanma.Timestamp(time.Now())[:10]
				r.Header.Set("timestamp", ts)
				r.Header.Set("sign", tanma.Sign(sandbox.DefaultAppID, ts, body, sandbox.DefaultAppKey))
				return r
			},
			code:    tanma.CodeClockSkew,
			message: msgClockSkew,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			failure(t, serve(sb, tt.req()), http.StatusOK, tt.code, tt.message, false)
		})
	}
}

// TestSignatureAccepted checks that requests signed within the allowed skew
// pass, including header names in any case (HTTP headers are case-insensitive).
func TestSignatureAccepted(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	body := []byte(`{"qwUserId":"xiehua"}`)
	tests := []struct {
		name string
		req  func() *http.Request
	}{
		{name: "now", req: func() *http.Request { return signedRequest(pathList, body, defaultCreds()) }},
		{name: "4 minutes ago", req: func() *http.Request {
			c := defaultCreds()
			c.at = c.at.Add(-4 * time.Minute)
			return signedRequest(pathList, body, c)
		}},
		{name: "4 minutes ahead", req: func() *http.Request {
			c := defaultCreds()
			c.at = c.at.Add(4 * time.Minute)
			return signedRequest(pathList, body, c)
		}},
		{name: "with the appKey header the doc pages list", req: func() *http.Request {
			r := signedRequest(pathList, body, defaultCreds())
			r.Header.Set("appKey", string(sandbox.DefaultAppKey))
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			okData(t, serve(sb, tt.req()))
		})
	}
}

// TestSignatureGoldenVectors sends the test vectors of tanma-api.md with
// their literal sign values (not computed by tanma.Sign), at their timestamp.
func TestSignatureGoldenVectors(t *testing.T) {
	t.Parallel()
	const ts = "1700000000000"
	sb := &sandbox.Server{Now: func() time.Time { return time.UnixMilli(1700000000000) }}
	tests := []struct {
		name  string
		path  string
		body  string
		sign  string
		check func(t *testing.T, w *httptest.ResponseRecorder)
	}{
		{
			name: "empty body passes the signature and fails validation",
			path: pathList,
			body: "",
			sign: "f792bd94197653aca3c7cfd5190f2f5532c97a29c013ba4cb8fd4cfa2adcbfc6",
			check: func(t *testing.T, w *httptest.ResponseRecorder) {
				validationFailure(t, w)
			},
		},
		{
			name:  "list body",
			path:  pathList,
			body:  `{"qwUserId":"zhangsan","size":100}`,
			sign:  "004a4d3ff1cb3940c7c2fe22fec20429ca6c1645742dc5698531f67aec4fab2c",
			check: func(t *testing.T, w *httptest.ResponseRecorder) { okData(t, w) },
		},
		{
			name:  "UTF-8 search body",
			path:  pathSearch,
			body:  `{"searchKey":"张三"}`,
			sign:  "bf7eea5014559baa5a13927ad0d482491894a000b4ff17a8508e669c3c738635",
			check: func(t *testing.T, w *httptest.ResponseRecorder) { okData(t, w) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := signedRequest(tt.path, []byte(tt.body), defaultCreds())
			r.Header.Set("appId", "ww0000000000000000_TEST01")
			r.Header.Set("timestamp", ts)
			r.Header.Set("sign", tt.sign)
			tt.check(t, serve(sb, r))
		})
	}
}

// TestCustomCredentialsAndClock checks that Server.AppID, AppKey, Now and
// Skew replace the defaults.
func TestCustomCredentialsAndClock(t *testing.T) {
	t.Parallel()
	at := time.Date(2023, 6, 6, 8, 12, 30, 0, tanma.Shanghai)
	sb := &sandbox.Server{
		AppID:  "wwCUSTOM",
		AppKey: "custom-key",
		Now:    func() time.Time { return at },
	}
	custom := creds{appID: "wwCUSTOM", key: "custom-key", at: at}
	body := []byte(`{"qwUserId":"xiehua"}`)
	tests := []struct {
		name    string
		c       creds
		code    int
		message string
	}{
		{name: "custom credentials at the custom clock", c: custom, code: 0},
		{name: "default credentials", c: creds{sandbox.DefaultAppID, sandbox.DefaultAppKey, at}, code: tanma.CodeBadSignature, message: msgBadSignature},
		{name: "custom app id with the default key", c: creds{"wwCUSTOM", sandbox.DefaultAppKey, at}, code: tanma.CodeBadSignature, message: msgBadSignature},
		{name: "custom credentials at the real clock", c: creds{"wwCUSTOM", "custom-key", time.Now()}, code: tanma.CodeClockSkew, message: msgClockSkew},
		{name: "custom credentials 6 minutes behind the custom clock", c: creds{"wwCUSTOM", "custom-key", at.Add(-6 * time.Minute)}, code: tanma.CodeClockSkew, message: msgClockSkew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := serve(sb, signedRequest(pathList, body, tt.c))
			if tt.code == 0 {
				okData(t, w)
				return
			}
			failure(t, w, http.StatusOK, tt.code, tt.message, false)
		})
	}

	t.Run("custom skew", func(t *testing.T) {
		t.Parallel()
		wide := &sandbox.Server{Skew: 15 * time.Minute}
		c := defaultCreds()
		c.at = c.at.Add(-10 * time.Minute)
		okData(t, serve(wide, signedRequest(pathList, body, c)))
		c.at = time.Now().Add(-20 * time.Minute)
		failure(t, serve(wide, signedRequest(pathList, body, c)), http.StatusOK, tanma.CodeClockSkew, msgClockSkew, false)
	})
}

// TestSignatureOverHTTP sends lower-case header names over real loopback HTTP:
// header names are case-insensitive on the wire.
func TestSignatureOverHTTP(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(&sandbox.Server{})
	defer ts.Close()
	body := []byte(`{"qwUserId":"xiehua"}`)
	signed := signedRequest(pathList, body, defaultCreds())
	req, err := http.NewRequest(http.MethodPost, ts.URL+pathList, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range signed.Header {
		req.Header[strings.ToLower(k)] = v // raw keys: written to the wire as given
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	w.WriteHeader(res.StatusCode)
	w.Body.Write(raw)
	okData(t, w)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
}
