package sandbox_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Upstream paths under test, spelled out so the wire contract does not
// depend on the client package's constants.
const (
	pathList   = "/api/v3/customer-relation/list-by-qw-user-id"
	pathSearch = "/api/v3/customer/search"
)

// Upstream messages and prefixes the sandbox must reproduce.
const (
	validationPrefix = "请求参数验证失败："
	msgBadSignature  = "签名校验未通过"
	msgClockSkew     = "请求时间与服务器时间相差过大"
)

// creds are the signing inputs of one request.
type creds struct {
	appID string
	key   tanma.Secret
	at    time.Time
}

func defaultCreds() creds {
	return creds{appID: sandbox.DefaultAppID, key: sandbox.DefaultAppKey, at: time.Now()}
}

// signedRequest builds a POST to path carrying body, signed by hand:
// sign = hex(SHA-256(appId + timestamp + body + appKey)).
func signedRequest(path string, body []byte, c creds) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	ts := strconv.FormatInt(c.at.UnixMilli(), 10)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("appId", c.appID)
	r.Header.Set("timestamp", ts)
	r.Header.Set("sign", tanma.Sign(c.appID, ts, body, c.key))
	return r
}

// serve runs one request through h.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// post signs body with the default credentials and sends it to path.
func post(h http.Handler, path, body string) *httptest.ResponseRecorder {
	return serve(h, signedRequest(path, []byte(body), defaultCreds()))
}

// envelope is the upstream answer; Data is nil when the key is absent.
type envelope struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// decodeEnvelope decodes an answer strictly: exactly the three envelope keys,
// typed as upstream types them, and nothing after the value.
func decodeEnvelope(t testing.TB, raw []byte) envelope {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var env envelope
	if err := dec.Decode(&env); err != nil {
		t.Fatalf("answer is not an envelope: %v\n%s", err, raw)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		t.Fatalf("trailing data after the envelope: %s", raw)
	}
	if env.Data == nil {
		t.Fatalf("answer has no data key: %s", raw)
	}
	return env
}

// okData asserts an HTTP 200, code 0, message ok answer and returns its data.
func okData(t testing.TB, w *httptest.ResponseRecorder) json.RawMessage {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Fatalf("HTTP status = %d, want 200; body %s", w.Code, w.Body.Bytes())
	}
	env := decodeEnvelope(t, w.Body.Bytes())
	if env.Code != 0 || env.Message != "ok" {
		t.Fatalf("code %d message %q, want 0 ok; body %s", env.Code, env.Message, w.Body.Bytes())
	}
	return env.Data
}

// failure asserts a failure answer: the HTTP status, code and message (a
// prefix when prefix is set), and "data": null.
func failure(t testing.TB, w *httptest.ResponseRecorder, status, code int, message string, prefix bool) {
	t.Helper()
	if w.Code != status {
		t.Errorf("HTTP status = %d, want %d; body %s", w.Code, status, w.Body.Bytes())
	}
	env := decodeEnvelope(t, w.Body.Bytes())
	if env.Code != code {
		t.Errorf("code = %d, want %d; body %s", env.Code, code, w.Body.Bytes())
	}
	if prefix && !strings.HasPrefix(env.Message, message) || !prefix && env.Message != message {
		t.Errorf("message = %q, want %s %q", env.Message, map[bool]string{true: "prefix", false: "exactly"}[prefix], message)
	}
	if string(env.Data) != "null" {
		t.Errorf("data = %s, want null", env.Data)
	}
}

// validationFailure asserts the upstream's answer to bad parameters.
func validationFailure(t testing.TB, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code != http.StatusOK {
		t.Errorf("HTTP status = %d, want 200; body %s", w.Code, w.Body.Bytes())
	}
	env := decodeEnvelope(t, w.Body.Bytes())
	if env.Code == 0 {
		t.Errorf("code = 0, want non-zero; body %s", w.Body.Bytes())
	}
	if !strings.HasPrefix(env.Message, validationPrefix) {
		t.Errorf("message = %q, want prefix %q", env.Message, validationPrefix)
	}
	if string(env.Data) != "null" {
		t.Errorf("data = %s, want null", env.Data)
	}
}

var decimalID = regexp.MustCompile(`^[1-9][0-9]*$`)

// rawID reads a customerId that must be a bare JSON number (never a string,
// never a float form) and returns it exactly.
func rawID(t testing.TB, raw json.RawMessage) int64 {
	t.Helper()
	if !decimalID.Match(raw) {
		t.Fatalf("customerId %s is not a bare JSON integer", raw)
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		t.Fatalf("customerId %s: %v", raw, err)
	}
	return n
}

// listItem is what the paging tests read of a list item.
type listItem struct {
	ID       int64
	Owner    string
	Created  string
	RawItems map[string]json.RawMessage
}

// listPage fetches one page of list-by-qw-user-id.
func listPage(t testing.TB, h http.Handler, owner, cursor string, size int) ([]listItem, string) {
	t.Helper()
	req := map[string]any{"qwUserId": owner, "size": size}
	if cursor != "" {
		req["cursor"] = cursor
	}
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	data := okData(t, post(h, pathList, string(body)))
	var page struct {
		List       []map[string]json.RawMessage `json:"list"`
		NextCursor *string                      `json:"nextCursor"`
	}
	if err := json.Unmarshal(data, &page); err != nil {
		t.Fatalf("data: %v\n%s", err, data)
	}
	if page.List == nil {
		t.Fatalf("data.list is null or absent: %s", data)
	}
	if page.NextCursor == nil {
		t.Fatalf("data.nextCursor is null or absent: %s", data)
	}
	items := make([]listItem, 0, len(page.List))
	for _, m := range page.List {
		it := listItem{ID: rawID(t, m["customerId"]), RawItems: m}
		if err := json.Unmarshal(m["qwUserId"], &it.Owner); err != nil {
			t.Fatalf("qwUserId %s: %v", m["qwUserId"], err)
		}
		if err := json.Unmarshal(m["createTime"], &it.Created); err != nil {
			t.Fatalf("createTime %s: %v", m["createTime"], err)
		}
		items = append(items, it)
	}
	return items, *page.NextCursor
}

// jsonObject is a JSON object with its keys in wire order.
type jsonObject []jsonMember

type jsonMember struct {
	Key   string
	Value any
}

// decodeOrdered decodes one JSON value keeping object key order; numbers stay
// json.Number so 398604120668224 and "398604120668224" never compare equal.
func decodeOrdered(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := orderedValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("trailing data after the value")
	}
	return v, nil
}

func orderedValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		obj := jsonObject{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := orderedValue(dec)
			if err != nil {
				return nil, err
			}
			obj = append(obj, jsonMember{k.(string), v})
		}
		_, err := dec.Token()
		return obj, err
	case json.Delim('['):
		arr := []any{}
		for dec.More() {
			v, err := orderedValue(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := dec.Token()
		return arr, err
	}
	return tok, nil
}

// member returns the value of key in obj.
func (obj jsonObject) member(key string) (any, bool) {
	for _, m := range obj {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

func (obj jsonObject) keys() []string {
	ks := make([]string, len(obj))
	for i, m := range obj {
		ks[i] = m.Key
	}
	return ks
}
