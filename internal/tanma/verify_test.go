package tanma_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// signedHeader returns the signature headers of body, signed with key at ts.
func signedHeader(appID, ts string, body []byte, key tanma.Secret) http.Header {
	h := http.Header{}
	h.Set(tanma.HeaderAppID, appID)
	h.Set(tanma.HeaderTimestamp, ts)
	h.Set(tanma.HeaderSign, tanma.Sign(appID, ts, body, key))
	return h
}

// msAt returns the timestamp header value of testNow shifted by d.
func msAt(d time.Duration) string { return strconv.FormatInt(testNow.Add(d).UnixMilli(), 10) }

func TestVerify(t *testing.T) {
	t.Parallel()
	body := []byte(`{"qwUserId":"zhangsan","size":100}`)
	tests := []struct {
		name   string
		header http.Header
		body   []byte
		want   error // nil: accepted
	}{
		{name: "valid", header: signedHeader(testAppID, testTS, body, testAppKey), body: body},
		{name: "valid empty body", header: signedHeader(testAppID, testTS, nil, testAppKey), body: nil},
		{name: "valid at the past edge of the window", header: signedHeader(testAppID, msAt(-tanma.DefaultSkew), body, testAppKey), body: body},
		{name: "valid at the future edge of the window", header: signedHeader(testAppID, msAt(tanma.DefaultSkew), body, testAppKey), body: body},
		{name: "app id missing", header: without(signedHeader(testAppID, testTS, body, testAppKey), tanma.HeaderAppID), body: body, want: tanma.ErrMissingHeader},
		{name: "timestamp missing", header: without(signedHeader(testAppID, testTS, body, testAppKey), tanma.HeaderTimestamp), body: body, want: tanma.ErrMissingHeader},
		{name: "sign missing", header: without(signedHeader(testAppID, testTS, body, testAppKey), tanma.HeaderSign), body: body, want: tanma.ErrMissingHeader},
		{name: "body changed by one byte", header: signedHeader(testAppID, testTS, body, testAppKey), body: []byte(`{"qwUserId":"zhangsan","size":101}`), want: tanma.ErrBadSignature},
		{name: "body dropped", header: signedHeader(testAppID, testTS, body, testAppKey), body: nil, want: tanma.ErrBadSignature},
		{name: "wrong key", header: signedHeader(testAppID, testTS, body, testAppKey+"x"), body: body, want: tanma.ErrBadSignature},
		{name: "timestamp changed after signing", header: with(signedHeader(testAppID, testTS, body, testAppKey), tanma.HeaderTimestamp, "1700000000001"), body: body, want: tanma.ErrBadSignature},
		{name: "sign in upper case", header: with(signedHeader(testAppID, testTS, body, testAppKey), tanma.HeaderSign, "004A4D3FF1CB3940C7C2FE22FEC20429CA6C1645742DC5698531F67AEC4FAB2C"), body: body, want: tanma.ErrBadSignature},
		{name: "wrong app id", header: signedHeader("ww0000000000000000_TEST02", testTS, body, testAppKey), body: body, want: tanma.ErrUnknownApp},
		{name: "timestamp too old", header: signedHeader(testAppID, msAt(-tanma.DefaultSkew-time.Millisecond), body, testAppKey), body: body, want: tanma.ErrStaleTimestamp},
		{name: "timestamp too far ahead", header: signedHeader(testAppID, msAt(tanma.DefaultSkew+time.Millisecond), body, testAppKey), body: body, want: tanma.ErrStaleTimestamp},
		{name: "timestamp in seconds", header: signedHeader(testAppID, "1700000000", body, testAppKey), body: body, want: tanma.ErrStaleTimestamp},
		{name: "timestamp not numeric", header: signedHeader(testAppID, "17000000000xx", body, testAppKey), body: body, want: tanma.ErrStaleTimestamp},
		{name: "timestamp beyond int64", header: signedHeader(testAppID, "99999999999999999999", body, testAppKey), body: body, want: tanma.ErrStaleTimestamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tanma.Verify(tt.header, tt.body, testAppID, testAppKey, testNow, tanma.DefaultSkew)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			for _, other := range verifySentinels {
				if other != tt.want {
					assert.NotErrorIs(t, err, other)
				}
			}
		})
	}
}

// verifySentinels are the only errors Verify may return.
var verifySentinels = []error{tanma.ErrMissingHeader, tanma.ErrUnknownApp, tanma.ErrBadSignature, tanma.ErrStaleTimestamp}

func without(h http.Header, name string) http.Header {
	h = h.Clone()
	h.Del(name)
	return h
}

func with(h http.Header, name, value string) http.Header {
	h = h.Clone()
	h.Set(name, value)
	return h
}
