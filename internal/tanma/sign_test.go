package tanma_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestSignVectors checks Sign against the independently computed vectors of
// tanma-api.md.
func TestSignVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"empty body", nil, "f792bd94197653aca3c7cfd5190f2f5532c97a29c013ba4cb8fd4cfa2adcbfc6"},
		{"zero-length body", []byte{}, "f792bd94197653aca3c7cfd5190f2f5532c97a29c013ba4cb8fd4cfa2adcbfc6"},
		{"list by qw user id", []byte(`{"qwUserId":"zhangsan","size":100}`), "004a4d3ff1cb3940c7c2fe22fec20429ca6c1645742dc5698531f67aec4fab2c"},
		{"utf-8 search key", []byte(`{"searchKey":"张三"}`), "bf7eea5014559baa5a13927ad0d482491894a000b4ff17a8508e669c3c738635"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tanma.Sign(testAppID, testTS, tt.body, testAppKey))
		})
	}
}

// TestSignInputsMatter checks that every input changes the signature, and
// that a \u-escaped body is a different body.
func TestSignInputsMatter(t *testing.T) {
	t.Parallel()
	body := []byte(`{"searchKey":"张三"}`)
	base := tanma.Sign(testAppID, testTS, body, testAppKey)
	tests := []struct {
		name string
		got  string
	}{
		{"app id", tanma.Sign(testAppID+"x", testTS, body, testAppKey)},
		{"timestamp", tanma.Sign(testAppID, "1700000000001", body, testAppKey)},
		{"body escaped", tanma.Sign(testAppID, testTS, []byte(`{"searchKey":"\u5f20\u4e09"}`), testAppKey)},
		{"key", tanma.Sign(testAppID, testTS, body, testAppKey+"x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.NotEqual(t, base, tt.got)
			assert.Regexp(t, `^[0-9a-f]{64}$`, tt.got)
		})
	}
}

func TestTimestamp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"vector instant", time.UnixMilli(testMillis), testTS},
		{"sub-millisecond truncated", time.Unix(1700000000, 999_999_999), "1700000000999"},
		{"zone does not matter", time.UnixMilli(testMillis).In(tanma.Shanghai), testTS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tanma.Timestamp(tt.in))
		})
	}
	t.Run("now is 13 digits", func(t *testing.T) {
		t.Parallel()
		assert.Regexp(t, thirteenDigits, tanma.Timestamp(time.Now()))
	})
}
