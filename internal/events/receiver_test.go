package events

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/logtest"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// The official push example: appId = appKey = corp id = "zc_test", sent at
// 1596681164807 with sign 317672b4....
const (
	officialBody = "5TMVT8H4yTSSoING+afhRlGcCZAIxTs8Z7o3vGpid6tF2aF7C73uZ44qMopuNPCFmwOLOJ8xViCTHUfe/xYZSb71/VRSEDeIqqwN4eg="
	officialSign = "317672b4685d9b8bafe1794390e31209aed5cef912683292fed94a69085919d3"
	officialTime = 1596681164807
)

// receiverEnv is a Receiver for app zc_test at the official example's
// time, recording what it applies and counts.
type receiverEnv struct {
	rc      *Receiver
	logs    *logtest.Buffer
	mu      sync.Mutex
	applied []Event
	counts  []string
	fail    error // Apply's answer
}

func newReceiverEnv() *receiverEnv {
	log, logs := logtest.JSON(nil)
	e := &receiverEnv{logs: logs}
	e.rc = &Receiver{AppID: "zc_test", CorpID: "zc_test", AppKey: "zc_test", Window: time.Minute, MaxBody: 4096,
		Dedup: NewMemoryDedup(100), Log: log,
		Apply: func(_ context.Context, ev Event) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			if e.fail != nil {
				return e.fail
			}
			e.applied = append(e.applied, ev)
			return nil
		},
		Count: func(typ, outcome string) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.counts = append(e.counts, typ+"/"+outcome)
		},
		now: func() time.Time { return time.UnixMilli(officialTime) },
	}
	return e
}

// push sends a push of plaintext signed and encrypted as Tanma does, with
// edit applied to the request first.
func (e *receiverEnv) push(t *testing.T, plaintext string, edit func(*http.Request)) *httptest.ResponseRecorder {
	t.Helper()
	req, err := tanma.PushRequest("http://gw/tanma/events", []byte(plaintext), "zc_test", "zc_test", "zc_test", time.UnixMilli(officialTime))
	require.NoError(t, err)
	if edit != nil {
		edit(req)
	}
	w := httptest.NewRecorder()
	e.rc.ServeHTTP(w, req)
	return w
}

// TestOfficialPushIsAcknowledged: the official example, exactly as Tanma's
// page gives it (body, headers), is verified, decrypted and acknowledged
// with its noise; an address check changes nothing.
func TestOfficialPushIsAcknowledged(t *testing.T) {
	t.Parallel()
	e := newReceiverEnv()
	req := httptest.NewRequest(http.MethodPost, "/tanma/events", strings.NewReader(officialBody))
	req.Header.Set("appId", "zc_test")
	req.Header.Set("timestamp", fmt.Sprint(officialTime))
	req.Header.Set("version", "1")
	req.Header.Set("sign", officialSign)
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	w := httptest.NewRecorder()
	e.rc.ServeHTTP(w, req)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "4970601478527096155", w.Body.String(), "the noise, exact (it is past 2^53)")
	assert.Empty(t, e.applied, "an address check changes nothing")
	assert.Equal(t, []string{"register/ignored"}, e.counts)
}

// TestPushIsAppliedOnceAndNoiseEchoedExactly: a customer event is applied
// and acknowledged with its noise to the last digit (2^63-1 and a negative
// one); the same msgId again is acknowledged and not applied again.
func TestPushIsAppliedOnceAndNoiseEchoedExactly(t *testing.T) {
	t.Parallel()
	e := newReceiverEnv()
	for i, noise := range []string{"9223372036854775807", "-203478414587272730"} {
		body := fmt.Sprintf(`{"noise":%s,"msgId":%d,"type":"change_customer_tag","content":{"customerId":398604120668224,"qwSalesId":"dowen","tagId":"12","qwTagId":"et1","changeType":"del_qw_tag"}}`, noise, 100+i)
		for range 2 {
			w := e.push(t, body, nil)
			assert.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, noise, w.Body.String())
		}
	}
	require.Len(t, e.applied, 2, "each msgId applied once")
	assert.Equal(t, Event{Kind: CustomerTags, MsgID: "100", ReceivedAt: time.UnixMilli(officialTime), CustomerID: 398604120668224,
		Owner: "dowen", TagID: "12", QwTagID: "et1", Removed: true}, e.applied[0])
	assert.Equal(t, []string{"change_customer_tag/applied", "change_customer_tag/replay", "change_customer_tag/applied", "change_customer_tag/replay"}, e.counts)
}

// TestDocumentedEventsMapToEvents: each documented type, with the content
// Tanma's pages show, becomes the event the gateway acts on.
func TestDocumentedEventsMapToEvents(t *testing.T) {
	t.Parallel()
	cases := map[string]Event{
		`{"type":"tag_info","noise":1,"msgId":1,"content":{"customerId":513118179954880,"salesId":513617232935104,"qwSalesId":"wo1U6","tagId":2804062,"qwTagId":"et1U6","changeType":"add_qw_tag"}}`: {
			Kind: CustomerTags, MsgID: "1", CustomerID: 513118179954880, Owner: "wo1U6", TagID: "2804062", QwTagID: "et1U6"},
		`{"type":"new_qw_customer","noise":-203478414587272730,"msgId":2,"content":{"externalUserId":"wm1","unionId":"","qwUserId":"lina","mobiles":["15678789757"],"wechatNickname":"jack","wechatAvatar":"http://dad.com/ds.jpg"}}`: {
			Kind: NewCustomer, MsgID: "2", Owner: "lina", ExternalUserID: "wm1"},
		`{"type":"customer_contact_edit","noise":3,"msgId":3,"content":{"customerId":"398604120668224","contactId":"7","eventId":"9"}}`: {
			Kind: CustomerContact, MsgID: "3", CustomerID: 398604120668224},
		`{"type":"change_corp_tag","noise":4,"msgId":4,"content":{"tagId":"55","qwTagId":"et55","tagGroupId":"5","tagGroupName":"客户等级","tagGroupQwId":"et5","tagType":"tag","currentName":"VIP","changeType":"create","order":3}}`: {
			Kind: TagLibrary, MsgID: "4", TagID: "55", QwTagID: "et55", Change: "CREATED", Target: "TAG", Name: "VIP"},
		`{"type":"change_corp_tag","noise":5,"msgId":5,"content":{"tagGroupId":"5","tagGroupQwId":"et5","tagType":"tag_group","currentName":"客户分级","changeType":"update"}}`: {
			Kind: TagLibrary, MsgID: "5", TagID: "5", QwTagID: "et5", Change: "UPDATED", Target: "TAG_GROUP", Name: "客户分级"},
	}
	for plain, want := range cases {
		env, err := tanma.ParsePushEnvelope([]byte(plain))
		require.NoError(t, err)
		got, act, err := FromPush(env, time.Time{})
		require.NoError(t, err)
		assert.True(t, act)
		assert.Equal(t, want, got, plain)
	}
}

// TestRefusedPushes: anything that is not a push of ours, or not readable,
// is refused with a 4xx that says nothing more, and nothing is applied.
func TestRefusedPushes(t *testing.T) {
	t.Parallel()
	const valid = `{"noise":1,"msgId":7,"type":"customer_contact_edit","content":{"customerId":1}}`
	cases := []struct {
		name   string
		body   string
		edit   func(*http.Request)
		status int
	}{
		{"wrong sign", valid, func(r *http.Request) { r.Header.Set("sign", strings.Repeat("0", 64)) }, http.StatusUnauthorized},
		{"another app", valid, func(r *http.Request) { r.Header.Set("appId", "zc_other") }, http.StatusUnauthorized},
		{"timestamp changed", valid, func(r *http.Request) { r.Header.Set("timestamp", fmt.Sprint(officialTime+1)) }, http.StatusUnauthorized},
		{"stale timestamp", valid, func(r *http.Request) {
			ts := fmt.Sprint(officialTime - 2*time.Minute.Milliseconds())
			r.Header.Set("timestamp", ts)
			r.Header.Set("sign", tanma.PushSign("zc_test", "1", ts, "zc_test"))
		}, http.StatusUnauthorized},
		{"version 2", valid, func(r *http.Request) {
			r.Header.Set("version", "2")
			r.Header.Set("sign", tanma.PushSign("zc_test", "2", r.Header.Get("timestamp"), "zc_test"))
		}, http.StatusBadRequest},
		{"no sign", valid, func(r *http.Request) { r.Header.Del("sign") }, http.StatusBadRequest},
		{"tampered body", valid, func(r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			b[3] ^= 'A' ^ 'B' // still Base64, no longer the envelope
			r.Body = io.NopCloser(strings.NewReader(string(b)))
		}, http.StatusBadRequest},
		{"not base64", valid, func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader("%%%")) }, http.StatusBadRequest},
		{"oversized", `{"noise":1,"msgId":8,"type":"x","content":"` + strings.Repeat("a", 5000) + `"}`, nil, http.StatusRequestEntityTooLarge},
		{"GET", valid, func(r *http.Request) { r.Method = http.MethodGet }, http.StatusMethodNotAllowed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newReceiverEnv()
			w := e.push(t, tc.body, tc.edit)
			assert.Equal(t, tc.status, w.Code)
			assert.Equal(t, "push refused\n", w.Body.String(), "nothing more is said")
			assert.Empty(t, e.applied)
		})
	}
}

// TestUnreadableContentIsAcknowledged: a push that is Tanma's (signed,
// decrypted, an envelope) but whose content does not have the documented
// shape would be refused on every re-send, and Tanma takes an address that
// keeps failing offline, every other push with it. It is acknowledged,
// logged by type and msgId, counted as "unreadable", and not applied.
func TestUnreadableContentIsAcknowledged(t *testing.T) {
	t.Parallel()
	for i, content := range []string{`{"customerId":{"a":1}}`, `{"customerId":""}`, `"hello"`, `{"mobiles":"13800000000","qwSalesId":"x"}`} {
		e := newReceiverEnv()
		typ := "customer_contact_edit"
		if i == 3 {
			typ = "new_qw_customer"
		}
		w := e.push(t, fmt.Sprintf(`{"noise":%d,"msgId":9,"type":%q,"content":%s}`, 70+i, typ, content), nil)
		assert.Equal(t, http.StatusOK, w.Code, content)
		assert.Equal(t, fmt.Sprint(70+i), w.Body.String())
		assert.Empty(t, e.applied)
		assert.Equal(t, []string{typ + "/unreadable"}, e.counts)
		assert.NotContains(t, e.logs.String(), "13800000000")
	}
}

// TestUnknownTypeIsAcknowledgedAndIgnored: Tanma has more types than the
// gateway acts on; they are acknowledged (or Tanma would re-send them and
// take the address offline) and counted.
func TestUnknownTypeIsAcknowledgedAndIgnored(t *testing.T) {
	t.Parallel()
	e := newReceiverEnv()
	w := e.push(t, `{"noise":42,"msgId":1,"type":"change_opportunity","content":{"x":1}}`, nil)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "42", w.Body.String())
	assert.Empty(t, e.applied)
	assert.Equal(t, []string{"change_opportunity/ignored"}, e.counts)
}

// TestFailedApplyIsSentAgain: a push that could not be applied is left
// unacknowledged (Tanma sends it again) and applied when it comes back.
func TestFailedApplyIsSentAgain(t *testing.T) {
	t.Parallel()
	e := newReceiverEnv()
	const body = `{"noise":5,"msgId":77,"type":"change_corp_tag","content":{"tagId":"1","tagType":"tag","changeType":"create"}}`
	e.fail = errors.New("Tanma did not answer the tag library")
	assert.Equal(t, http.StatusServiceUnavailable, e.push(t, body, nil).Code)
	e.fail = nil
	w := e.push(t, body, nil)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "5", w.Body.String())
	assert.Len(t, e.applied, 1)
}

// TestPushContentIsNeverLogged: the log says type, msgId and outcome only.
func TestPushContentIsNeverLogged(t *testing.T) {
	t.Parallel()
	e := newReceiverEnv()
	e.push(t, `{"noise":1,"msgId":3,"type":"new_qw_customer","content":{"externalUserId":"wmSECRETID","qwUserId":"lina","mobiles":["13912345678"],"wechatNickname":"小明"}}`, nil)
	e.push(t, `{"noise":1,"msgId":4,"type":"new_qw_customer","content":{"externalUserId":"wmSECRETID"}}`, func(r *http.Request) { r.Header.Set("sign", "x") })
	out := e.logs.String()
	assert.Contains(t, out, `"msg_id":"3"`)
	for _, secret := range []string{"wmSECRETID", "13912345678", "小明", "zc_test\"", officialSign} {
		assert.NotContains(t, out, secret)
	}
}

// TestResendWhileApplyingIsNotAcknowledged: Tanma re-sends a push while its
// first delivery is still being applied (a slow tag library reload). The
// re-send is not acknowledged (503), so when the first apply fails the
// push is not lost: the next re-send is applied.
func TestResendWhileApplyingIsNotAcknowledged(t *testing.T) {
	t.Parallel()
	e := newReceiverEnv()
	entered, release := make(chan struct{}), make(chan struct{})
	apply := e.rc.Apply
	var calls atomic.Int32
	e.rc.Apply = func(ctx context.Context, ev Event) error {
		if calls.Add(1) == 1 {
			close(entered)
			<-release
			return errors.New("the tag library did not load")
		}
		return apply(ctx, ev)
	}
	const body = `{"noise":7,"msgId":77,"type":"change_customer_tag","content":{"customerId":1,"qwSalesId":"dowen","tagId":"1","qwTagId":"et1","changeType":"add_qw_tag"}}`
	first := make(chan int)
	go func() { first <- e.push(t, body, nil).Code }()
	<-entered
	w := e.push(t, body, nil)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code, "a re-send while the first is applied is not acknowledged")
	close(release)
	assert.Equal(t, http.StatusServiceUnavailable, <-first, "the first apply failed")
	w = e.push(t, body, nil)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "7", w.Body.String())
	assert.Len(t, e.applied, 1, "applied by the next re-send")
	w = e.push(t, body, nil)
	assert.Equal(t, http.StatusOK, w.Code, "and a replay after that")
	assert.Len(t, e.applied, 1)
}

// TestEmptyContentIsNoChangeAboutNobody: a documented push whose content
// names nothing ({}, null) is acknowledged and counted unreadable, never
// delivered as a change about no customer or tag.
func TestEmptyContentIsNoChangeAboutNobody(t *testing.T) {
	t.Parallel()
	for i, tc := range []struct{ typ, content string }{
		{"change_customer_tag", `{}`}, {"change_customer_tag", `null`}, {"customer_contact_edit", `{}`},
		{"new_qw_customer", `{}`}, {"change_corp_tag", `{"changeType":"create"}`},
	} {
		e := newReceiverEnv()
		w := e.push(t, fmt.Sprintf(`{"noise":%d,"msgId":9,"type":%q,"content":%s}`, 90+i, tc.typ, tc.content), nil)
		assert.Equal(t, http.StatusOK, w.Code, tc.typ)
		assert.Equal(t, fmt.Sprint(90+i), w.Body.String())
		assert.Empty(t, e.applied, "%s %s", tc.typ, tc.content)
		assert.Equal(t, []string{tc.typ + "/unreadable"}, e.counts)
	}
}
