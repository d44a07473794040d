package tanma_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// FuzzVerify checks that Verify never panics, only ever returns nil or one
// of its four sentinels, returns nil only for a correctly signed request
// whose timestamp is in the window, and does accept every such request.
//
// When signed is true the sign header is computed for the fuzzed app id,
// timestamp and body, so the fuzzer reaches the timestamp checks too.
func FuzzVerify(f *testing.F) {
	body := []byte(`{"qwUserId":"zhangsan","size":100}`)
	good := tanma.Sign(testAppID, testTS, body, testAppKey)
	f.Add(testAppID, testTS, good, body, false)
	f.Add(testAppID, testTS, "", body, true)
	f.Add(testAppID, "", good, body, false)
	f.Add("", testTS, good, body, false)
	f.Add(testAppID, testTS, good, []byte(`{"qwUserId":"zhangsan","size":101}`), false)
	f.Add("ww0000000000000000_TEST02", testTS, "", body, true)
	f.Add(testAppID, "1700000300000", "", body, true)
	f.Add(testAppID, "1700000300001", "", body, true)
	f.Add(testAppID, "1699999700000", "", []byte{}, true)
	f.Add(testAppID, "-9223372036854775808", "", body, true)
	f.Add(testAppID, "9223372036854775807", "", body, true)
	f.Add(testAppID, "+1700000000000", "", body, true)
	f.Add(testAppID, "1.7e12", "", body, true)
	f.Add(testAppID, "张三", "", []byte(`{"searchKey":"张三"}`), true)
	f.Add(testAppID, testTS, "f792bd94197653aca3c7cfd5190f2f5532c97a29c013ba4cb8fd4cfa2adcbfc6", []byte(nil), false)

	f.Fuzz(func(t *testing.T, appID, ts, sig string, body []byte, signed bool) {
		if signed {
			sig = tanma.Sign(appID, ts, body, testAppKey)
		}
		h := http.Header{}
		h.Set(tanma.HeaderAppID, appID)
		h.Set(tanma.HeaderTimestamp, ts)
		h.Set(tanma.HeaderSign, sig)

		err := tanma.Verify(h, body, testAppID, testAppKey, testNow, tanma.DefaultSkew)

		correct := appID == testAppID && ts != "" &&
			sig == tanma.Sign(testAppID, ts, body, testAppKey) && inWindow(ts)
		switch {
		case err == nil && !correct:
			t.Fatalf("accepted a request that is not correctly signed and fresh: appId=%q timestamp=%q sign=%q body=%q", appID, ts, sig, body)
		case err != nil && correct:
			t.Fatalf("rejected a correctly signed fresh request with %v: timestamp=%q body=%q", err, ts, body)
		case err != nil && !isVerifySentinel(err):
			t.Fatalf("returned %v (%T), not one of the sentinels", err, err)
		}
	})
}

// inWindow reports whether ts is decimal Unix milliseconds within
// DefaultSkew of testNow, by integer arithmetic (an oracle independent of
// Verify's use of time.Duration).
func inWindow(ts string) bool {
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	skew := tanma.DefaultSkew.Milliseconds()
	return ms >= testMillis-skew && ms <= testMillis+skew
}

func isVerifySentinel(err error) bool {
	for _, s := range verifySentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
