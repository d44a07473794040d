package sandbox_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestListValidation checks that bad list-by-qw-user-id bodies are answered
// as upstream validation failures (HTTP 200, non-zero code, the
// "请求参数验证失败：" prefix, data null), never as a 500 or a page.
func TestListValidation(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	// A real cursor of chenjing's first page, to replay for another owner.
	_, chenjingCursor := listPage(t, sb, "chenjing", "", 100)
	if chenjingCursor == "" {
		t.Fatal("chenjing's first full page has no cursor")
	}
	tests := []struct {
		name string
		body string
	}{
		{name: "empty body", body: ``},
		{name: "invalid JSON", body: `{"qwUserId":`},
		{name: "not an object", body: `["dowen"]`},
		{name: "JSON null", body: `null`},
		{name: "trailing garbage", body: `{"qwUserId":"dowen"} x`},
		{name: "size as string", body: `{"qwUserId":"dowen","size":"100"}`},
		{name: "size fractional", body: `{"qwUserId":"dowen","size":1.5}`},
		{name: "qwUserId as number", body: `{"qwUserId":123,"size":10}`},
		{name: "cursor as number", body: `{"qwUserId":"dowen","cursor":7}`},
		{name: "type as string", body: `{"qwUserId":"dowen","type":"1"}`},
		{name: "missing qwUserId", body: `{"size":10}`},
		{name: "null qwUserId", body: `{"qwUserId":null,"size":10}`},
		{name: "empty qwUserId", body: `{"qwUserId":"","size":10}`},
		{name: "size 0", body: `{"qwUserId":"dowen","size":0}`},
		{name: "size -1", body: `{"qwUserId":"dowen","size":-1}`},
		{name: "size 101", body: `{"qwUserId":"dowen","size":101}`},
		{name: "size huge", body: `{"qwUserId":"dowen","size":99999999999999999999}`},
		{name: "garbage cursor", body: `{"qwUserId":"dowen","cursor":"officia","size":10}`},
		{name: "the seed page's cursor", body: `{"qwUserId":"dowen","cursor":"AAAAAGBDPMsAAAAACC5MoAAAAAADfxpa","size":10}`},
		{name: "cursor of another owner", body: `{"qwUserId":"dowen","cursor":"` + chenjingCursor + `","size":100}`},
		{name: "truncated cursor", body: `{"qwUserId":"chenjing","cursor":"` + chenjingCursor[:len(chenjingCursor)-4] + `","size":100}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			validationFailure(t, post(sb, pathList, tt.body))
		})
	}
}

// TestListAcceptsDocumentedBody checks bodies the upstream page documents or
// allows: the page's own example shape, null optional members, unknown members.
func TestListAcceptsDocumentedBody(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		body string
	}{
		{name: "all members", body: `{"qwUserId":"xiehua","cursor":"","size":100,"type":1}`},
		{name: "only qwUserId", body: `{"qwUserId":"xiehua"}`},
		{name: "null optionals", body: `{"qwUserId":"xiehua","cursor":null,"size":null,"type":null}`},
		{name: "unknown member", body: `{"qwUserId":"xiehua","appKey":"ignored"}`},
		{name: "size 1", body: `{"qwUserId":"xiehua","size":1}`},
		{name: "size 100", body: `{"qwUserId":"xiehua","size":100}`},
		{name: "unknown owner", body: `{"qwUserId":"nobody","size":100}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			okData(t, post(sb, pathList, tt.body))
		})
	}
}

// TestListMemberNamesAreCaseSensitive: upstream is a Java service whose JSON
// binding (Jackson, by default) matches member names exactly, so
// {"qwuserid": "dowen"} carries no qwUserId. Go's encoding/json matches
// names case-insensitively, so the sandbox serves it, hiding a client bug that
// production would answer with a validation failure.
func TestListMemberNamesAreCaseSensitive(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		body string
	}{
		{name: "lower case", body: `{"qwuserid":"dowen","size":10}`},
		{name: "upper camel", body: `{"QwUserId":"dowen","size":10}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := post(sb, pathList, tt.body)
			env := decodeEnvelope(t, w.Body.Bytes())
			if w.Code != http.StatusOK || env.Code == 0 || !strings.HasPrefix(env.Message, validationPrefix) {
				t.Errorf("HTTP %d code %d message %q, want a validation failure (qwUserId is absent)", w.Code, env.Code, env.Message)
			}
		})
	}
}
