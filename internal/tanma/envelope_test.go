package tanma_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// okPage is a valid answer of known length, for the size cap.
const okPage = `{"code":0,"message":"ok","data":{"list":[],"nextCursor":"abc"}}`

// TestClientAnswerAtTheCap: an answer of exactly the cap is read whole.
func TestClientAnswerAtTheCap(t *testing.T) {
	t.Parallel()
	c := startRecorder(t, &recorder{reply: answer(200, okPage)}, tanma.WithMaxResponseBytes(int64(len(okPage))))
	page, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})
	require.NoError(t, err)
	assert.Equal(t, "abc", page.NextCursor)
}

// TestClientSuccessWithoutData: code 0 with null or absent data is success.
func TestClientSuccessWithoutData(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{"null data", `{"code":0,"message":"ok","data":null}`},
		{"absent data", `{"code":0,"message":"success"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := startRecorder(t, &recorder{reply: answer(200, tt.body)})
			page, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})
			require.NoError(t, err)
			assert.Empty(t, page.List)
		})
	}
}

// TestClientRejectsNonEnvelope: an HTTP 200 answer that is JSON but not an
// envelope (no code) is a malformed answer, not an empty success: a wrong
// base URL or a proxy page must not read as "no customers".
func TestClientRejectsNonEnvelope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{"null", `null`},
		{"empty object", `{}`},
		{"another api's answer", `{"status":"ok","items":[{"id":1}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := startRecorder(t, &recorder{reply: answer(200, tt.body)})
			_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})
			assertSentinels(t, err, tanma.ErrBadResponse)
		})
	}
}
