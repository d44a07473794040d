package tanma_test

import (
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// The official push example: appId = appKey = corpid = "zc_test".
const (
	officialPushBody  = "5TMVT8H4yTSSoING+afhRlGcCZAIxTs8Z7o3vGpid6tF2aF7C73uZ44qMopuNPCFmwOLOJ8xViCTHUfe/xYZSb71/VRSEDeIqqwN4eg="
	officialPushPlain = `{"type":"register","noise":4970601478527096155,"msgId":999,"content":"hello"}`
)

func TestPushSignOfficialVector(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "317672b4685d9b8bafe1794390e31209aed5cef912683292fed94a69085919d3",
		tanma.PushSign("zc_test", "1", "1596681164807", "zc_test"))
}

func TestDecryptPushOfficialExample(t *testing.T) {
	t.Parallel()
	plain, err := tanma.DecryptPush([]byte(officialPushBody), "zc_test", "zc_test")
	require.NoError(t, err)
	assert.Equal(t, officialPushPlain, string(plain))
	env, err := tanma.ParsePushEnvelope(plain)
	require.NoError(t, err)
	assert.Equal(t, tanma.PushEnvelope{Noise: "4970601478527096155", MsgID: "999", Type: "register", Content: []byte(`"hello"`)}, env)
	assert.Equal(t, officialPushBody, string(tanma.EncryptPush(plain, "zc_test", "zc_test")), "encryption is the inverse")
}

// TestPushKeyAndIVComeFromTheRightPlaces: the key is derived from the app
// key and the IV from the corp id (appId up to "_"): a body encrypted for
// one app does not decrypt under another's key or corp id.
func TestPushKeyAndIVComeFromTheRightPlaces(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "ww51046ddc4f4df510", tanma.CorpID("ww51046ddc4f4df510_NjaEnW"))
	body := tanma.EncryptPush([]byte(officialPushPlain), "ww51046ddc4f4df510", "key-1")
	same, err := tanma.DecryptPush(body, "ww51046ddc4f4df510", "key-1")
	require.NoError(t, err)
	assert.Equal(t, officialPushPlain, string(same))
	other, _ := tanma.DecryptPush(body, "ww51046ddc4f4df510", "key-2")
	assert.NotEqual(t, officialPushPlain, string(other), "the key comes from the app key")
	other, _ = tanma.DecryptPush(body, "ww00000000000000", "key-1")
	assert.NotEqual(t, officialPushPlain, string(other), "the IV comes from the corp id")
}

func TestPushEnvelopeKeepsNoiseExact(t *testing.T) {
	t.Parallel()
	for _, noise := range []string{"9223372036854775807", "-203478414587272730", "0"} {
		env, err := tanma.ParsePushEnvelope([]byte(`{"noise":` + noise + `,"msgId":1,"type":"x","content":{}}`))
		require.NoError(t, err)
		assert.Equal(t, noise, env.Noise)
	}
	for _, bad := range []string{
		`{"noise":9223372036854775808,"msgId":1,"type":"x"}`, // past int64
		`{"noise":1.5,"msgId":1,"type":"x"}`,
		`{"noise":1,"msgId":1}`,
		`{"noise":1,"type":"x"}`,
		`[1]`, `not json`,
	} {
		_, err := tanma.ParsePushEnvelope([]byte(bad))
		assert.ErrorIs(t, err, tanma.ErrPushMalformed, bad)
	}
}

func TestVerifyPush(t *testing.T) {
	t.Parallel()
	now := time.UnixMilli(1596681164807)
	req, err := tanma.PushRequest("http://gw/tanma/events", []byte(officialPushPlain), "zc_test", "zc_test", "zc_test", now)
	require.NoError(t, err)
	body, _ := io.ReadAll(req.Body)
	assert.Equal(t, officialPushBody, string(body))
	assert.Equal(t, "317672b4685d9b8bafe1794390e31209aed5cef912683292fed94a69085919d3", req.Header.Get("sign"))
	ok := func(h http.Header) error { return tanma.VerifyPush(h, "zc_test", "zc_test", now, time.Minute) }
	require.NoError(t, ok(req.Header))
	for name, edit := range map[string]func(h http.Header){
		"sign":      func(h http.Header) { h.Set("sign", "0"+h.Get("sign")[1:]) },
		"appId":     func(h http.Header) { h.Set("appId", "zc_other") },
		"timestamp": func(h http.Header) { h.Set("timestamp", "1596681164808") },
		"version":   func(h http.Header) { h.Set("version", "2") },
		"missing":   func(h http.Header) { h.Del("sign") },
	} {
		h := req.Header.Clone()
		edit(h)
		assert.Error(t, ok(h), name)
	}
	late := tanma.VerifyPush(req.Header, "zc_test", "zc_test", now.Add(2*time.Minute), time.Minute)
	assert.True(t, errors.Is(late, tanma.ErrStaleTimestamp))
	// A version other than 1, correctly signed, is refused as such.
	h := req.Header.Clone()
	h.Set("version", "2")
	h.Set("sign", tanma.PushSign("zc_test", "2", h.Get("timestamp"), "zc_test"))
	assert.ErrorIs(t, ok(h), tanma.ErrPushVersion)
}
