package sandbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// receiver is a push address as an integrator serves it: every request must
// verify (tanma.VerifyPush), decrypt (tanma.DecryptPush, the sandbox app's
// corp id) and parse (tanma.ParsePushEnvelope); it is recorded, then
// answered as reply says for the nth request (from 1).
type receiver struct {
	t     *testing.T
	srv   *httptest.Server
	reply func(r *http.Request, n int, env tanma.PushEnvelope) (status int, body string)

	mu  sync.Mutex
	got []gotPush
}

// gotPush is one request the receiver got.
type gotPush struct {
	env   tanma.PushEnvelope
	plain []byte    // the decrypted envelope
	ts    int64     // its timestamp header
	at    time.Time // when it arrived
}

// String shows the decrypted envelope in failure messages.
func (p gotPush) String() string { return string(p.plain) }

// ack acknowledges as Tanma expects: HTTP 200, the noise as the body
// (a trailing newline is whitespace, which the sandbox ignores).
func ack(_ *http.Request, _ int, env tanma.PushEnvelope) (int, string) {
	return http.StatusOK, env.Noise + "\n"
}

func newReceiver(t *testing.T, reply func(*http.Request, int, tanma.PushEnvelope) (int, string)) *receiver {
	t.Helper()
	rc := &receiver{t: t, reply: reply}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	at := time.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		rc.t.Errorf("push body: %v", err)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "text/plain;charset=UTF-8" {
		rc.t.Errorf("push is %s with Content-Type %q, want POST text/plain;charset=UTF-8", r.Method, r.Header.Get("Content-Type"))
	}
	if err := tanma.VerifyPush(r.Header, sandbox.DefaultAppID, sandbox.DefaultAppKey, time.Now(), time.Minute); err != nil {
		rc.t.Errorf("push does not verify: %v", err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	plain, err := tanma.DecryptPush(body, tanma.CorpID(sandbox.DefaultAppID), sandbox.DefaultAppKey)
	if err != nil {
		rc.t.Errorf("push does not decrypt: %v", err)
		return
	}
	env, err := tanma.ParsePushEnvelope(plain)
	if err != nil {
		rc.t.Errorf("push envelope %s: %v", plain, err)
		return
	}
	ts, _ := strconv.ParseInt(r.Header.Get(tanma.HeaderTimestamp), 10, 64)
	rc.mu.Lock()
	rc.got = append(rc.got, gotPush{env: env, plain: plain, ts: ts, at: at})
	n := len(rc.got)
	rc.mu.Unlock()
	status, text := rc.reply(r, n, env)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}

// pushes returns the requests received so far.
func (rc *receiver) pushes() []gotPush {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.got)
}

// pushingSandbox is a sandbox pushing to rc, closed when the test ends
// (before rc's server, as cleanups run last first).
func pushingSandbox(t *testing.T, rc *receiver) *sandbox.Server {
	t.Helper()
	sb := &sandbox.Server{}
	sb.SetPushTarget(rc.srv.URL)
	t.Cleanup(sb.Close)
	return sb
}

// settle waits until every push of sb is acknowledged or given up.
func settle(t *testing.T, sb *sandbox.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(t, sb.WaitPushes(ctx), "pushes still pending: %+v", sb.PushStats())
}

// control calls one of the sandbox's own endpoints, unsigned.
func control(h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	return serve(h, httptest.NewRequest(method, path, strings.NewReader(body)))
}

// controlOK calls a simulate endpoint, asserts HTTP 200 and decodes the
// answer into out.
func controlOK(t *testing.T, h http.Handler, path string, body any, out any) {
	t.Helper()
	w := control(h, http.MethodPost, path, epBody(t, body))
	require.Equal(t, http.StatusOK, w.Code, "%s: %s", path, w.Body.Bytes())
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), out), "%s", w.Body.Bytes())
}

// controlFails asserts a control call fails with status and an error message.
func controlFails(t *testing.T, h http.Handler, method, path, body string, status int) {
	t.Helper()
	w := control(h, method, path, body)
	assert.Equal(t, status, w.Code, "%s %s %s: %s", method, path, body, w.Body.Bytes())
	var e struct{ Error string }
	if assert.NoError(t, json.Unmarshal(w.Body.Bytes(), &e), "%s", w.Body.Bytes()) {
		assert.NotEmpty(t, e.Error, "the failure says why")
	}
}

// onlyPush asserts rc got exactly one request and returns it.
func onlyPush(t *testing.T, rc *receiver) gotPush {
	t.Helper()
	got := rc.pushes()
	require.Len(t, got, 1, "pushes received")
	return got[0]
}

// strictContent decodes a push's content into out, refusing members out
// does not name.
func strictContent(t *testing.T, p gotPush, out any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(p.env.Content)))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(out), "content %s", p.env.Content)
}

// orderedEnvelope returns the push's envelope and content as ordered
// objects, asserting the envelope's keys.
func orderedEnvelope(t *testing.T, p gotPush, keys ...string) (env, content jsonObject) {
	t.Helper()
	v, err := decodeOrdered(p.plain)
	require.NoError(t, err, "%s", p.plain)
	env = epObject(t, "envelope", v, keys...)
	return env, epMember(env, "content").(jsonObject)
}

var envelopeKeys = []string{"noise", "msgId", "type", "content"}

func wantStats(t *testing.T, sb *sandbox.Server, want sandbox.PushStats) {
	t.Helper()
	assert.Equal(t, want, sb.PushStats())
}

// TestPushUpdateByID: a customer update pushes customer_contact_edit for
// the customer, once, after the call is answered; a refused update pushes
// nothing.
func TestPushUpdateByID(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, ack)
	sb := pushingSandbox(t, rc)
	target := sb.Data().CustomersOf("chenjing")[5]

	okData(t, post(sb, wrPathUpdate, epBody(t, map[string]any{"customerId": target.CustomerID,
		"fields": []map[string]any{{"alias": "描述", "values": []string{"推送测试"}}}})))
	validationFailure(t, post(sb, wrPathUpdate, epBody(t, map[string]any{"customerId": target.CustomerID,
		"fields": []map[string]any{{"alias": "不存在的字段", "values": []string{"x"}}}})))
	settle(t, sb)

	p := onlyPush(t, rc)
	assert.Equal(t, tanma.PushContactEdit, p.env.Type)
	var c tanma.ContactEdit
	strictContent(t, p, &c)
	assert.Equal(t, target.CustomerID, c.CustomerID)
	assert.Empty(t, c.ContactID)
	assert.Len(t, string(c.EventID), 18)
	// Tanma's example carries eventId beside content too, and writes the
	// ids as decimal strings.
	env, content := orderedEnvelope(t, p, "noise", "msgId", "type", "eventId", "content")
	assert.Equal(t, string(c.EventID), epString(t, "eventId", epMember(env, "eventId")))
	epObject(t, "content", content, "customerId", "contactId", "eventId")
	assert.Equal(t, target.CustomerID.String(), epString(t, "customerId", epMember(content, "customerId")))
	wantStats(t, sb, sandbox.PushStats{Sent: 1, Attempts: 1, Acknowledged: 1})
}

// TestPushTransferAndAddClue: a transfer pushes customer_contact_edit for
// each customer, in order with consecutive msgIds; add-clue pushes nothing.
func TestPushTransferAndAddClue(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, ack)
	sb := pushingSandbox(t, rc)
	var moving []tanma.Customer
	var rels []any
	for _, c := range sb.Data().CustomersOf("liangdan") {
		if c.ExternalUserID != nil && len(moving) < 2 {
			moving = append(moving, c)
			rels = append(rels, map[string]any{"customerName": value(c, tanma.KeyName), "externalId": *c.ExternalUserID, "qwUserId": "liangdan"})
		}
	}
	require.Len(t, moving, 2)

	okData(t, post(sb, wrPathAddClue, epBody(t, map[string]any{"customerName": "不推送的线索"})))
	okData(t, post(sb, wrPathTransfer, epBody(t, map[string]any{"customers": rels, "handoverToUserid": "zhaolei"})))
	settle(t, sb)

	got := rc.pushes()
	require.Len(t, got, 2, "one push per transferred customer, none for the clue")
	first, _ := strconv.ParseInt(got[0].env.MsgID, 10, 64)
	for i, p := range got {
		assert.Equal(t, tanma.PushContactEdit, p.env.Type)
		var c tanma.ContactEdit
		strictContent(t, p, &c)
		assert.Equal(t, moving[i].CustomerID, c.CustomerID)
		assert.Equal(t, strconv.FormatInt(first+int64(i), 10), p.env.MsgID, "msgIds count up")
	}
	assert.NotEqual(t, got[0].env.Noise, got[1].env.Noise)
	wantStats(t, sb, sandbox.PushStats{Sent: 2, Attempts: 2, Acknowledged: 2})
}

// TestSimulateCustomerTag: the customer gains, then loses, a tag of the
// library; each change shows in its list item and pushes
// change_customer_tag with the owner's ids.
func TestSimulateCustomerTag(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, ack)
	sb := pushingSandbox(t, rc)
	before := sb.Data()
	group := before.TagGroups[2]
	tag := group.Tags[1]
	var cust tanma.Customer
	for _, c := range before.CustomersOf("lina") {
		if !slices.Contains(c.TagIDs, tag.QwTagID) {
			cust = c
			break
		}
	}
	require.NotZero(t, cust.CustomerID)
	lina, _ := staffNamed(before, "lina")

	var added struct {
		MsgID, CustomerID, TagID, QwTagID, ChangeType string
		TagIDs                                        []string
	}
	controlOK(t, sb, sandbox.PathSimulateCustomerTag, map[string]any{"customerId": cust.CustomerID, "tagId": tag.ID}, &added)
	assert.Equal(t, cust.CustomerID.String(), added.CustomerID)
	assert.Equal(t, tag.ID.String(), added.TagID)
	assert.Equal(t, tag.QwTagID, added.QwTagID)
	assert.Equal(t, "add_qw_tag", added.ChangeType)
	assert.Equal(t, append(slices.Clone(cust.TagIDs), tag.QwTagID), added.TagIDs)
	settle(t, sb)

	p := onlyPush(t, rc)
	assert.Equal(t, tanma.PushCustomerTag, p.env.Type)
	assert.Equal(t, added.MsgID, p.env.MsgID, "the answer names the push")
	var c tanma.CustomerTagChange
	require.NoError(t, json.Unmarshal(p.env.Content, &c))
	assert.Equal(t, tanma.CustomerTagChange{CustomerID: cust.CustomerID, SalesID: tanma.Text(lina.SalesID.String()), QwSalesID: "lina",
		TagID: tanma.Text(tag.ID.String()), QwTagID: tag.QwTagID, ChangeType: "add_qw_tag"}, c)
	_, content := orderedEnvelope(t, p, envelopeKeys...)
	epObject(t, "content", content, "customerId", "salesId", "qwSalesId", "tagId", "qwTagId", "qwTagName", "tagGroupId", "tagGroupName", "changeType")
	assert.Equal(t, cust.CustomerID.String(), epInteger(t, "customerId", epMember(content, "customerId")), "customerId is a JSON number")
	assert.Equal(t, tag.Name, epMember(content, "qwTagName"))
	assert.Equal(t, group.QwTagID, epMember(content, "tagGroupId"))
	assert.Equal(t, group.Name, epMember(content, "tagGroupName"))

	listed := listedCustomer(t, sb, "lina", cust.CustomerID)
	assert.Contains(t, listed.TagIDs, tag.QwTagID, "the list shows the new tag")
	old, _ := before.Customer(cust.CustomerID)
	assert.Equal(t, cust.TagIDs, old.TagIDs, "an earlier snapshot keeps its tags")

	var removed struct{ MsgID, ChangeType string }
	controlOK(t, sb, sandbox.PathSimulateCustomerTag, map[string]any{"customerId": cust.CustomerID.String(), "tagId": tag.ID, "remove": true}, &removed)
	assert.Equal(t, "del_qw_tag", removed.ChangeType)
	settle(t, sb)
	got := rc.pushes()
	require.Len(t, got, 2)
	require.NoError(t, json.Unmarshal(got[1].env.Content, &c))
	assert.Equal(t, "del_qw_tag", c.ChangeType)
	assert.Equal(t, removed.MsgID, got[1].env.MsgID)
	assert.NotContains(t, listedCustomer(t, sb, "lina", cust.CustomerID).TagIDs, tag.QwTagID, "the list no longer shows it")

	var clue tanma.ID
	epData(t, sb, wrPathAddClue, epBody(t, map[string]any{"customerName": "无主线索"}), &clue)
	for _, bad := range []struct {
		body   string
		status int
	}{
		{fmt.Sprintf(`{"customerId":%d,"tagId":%d,"remove":true}`, cust.CustomerID, tag.ID), http.StatusConflict}, // not tagged any more
		{fmt.Sprintf(`{"customerId":%d,"tagId":%d}`, cust.CustomerID, before.TagGroups[0].Tags[0].ID), http.StatusOK},
		{fmt.Sprintf(`{"customerId":%d,"tagId":%d}`, cust.CustomerID, before.TagGroups[0].Tags[0].ID), http.StatusConflict}, // already tagged
		{fmt.Sprintf(`{"customerId":%d,"tagId":%d}`, clue, tag.ID), http.StatusConflict},                                    // a lead has no owner
		{fmt.Sprintf(`{"customerId":1,"tagId":%d}`, tag.ID), http.StatusNotFound},
		{fmt.Sprintf(`{"customerId":%d,"tagId":1}`, cust.CustomerID), http.StatusNotFound},
		{fmt.Sprintf(`{"customerId":%d,"tagId":%d}`, cust.CustomerID, group.ID), http.StatusNotFound}, // a group is not a tag
		{fmt.Sprintf(`{"customerId":%d}`, cust.CustomerID), http.StatusBadRequest},
		{fmt.Sprintf(`{"customerId":%d,"tagID":%d}`, cust.CustomerID, tag.ID), http.StatusBadRequest}, // misspelt member
		{``, http.StatusBadRequest},
		{`[]`, http.StatusBadRequest},
	} {
		if bad.status == http.StatusOK {
			controlOK(t, sb, sandbox.PathSimulateCustomerTag, json.RawMessage(bad.body), new(json.RawMessage))
			continue
		}
		controlFails(t, sb, http.MethodPost, sandbox.PathSimulateCustomerTag, bad.body, bad.status)
	}
	settle(t, sb)
	assert.Equal(t, 3, len(rc.pushes()), "refused simulations push nothing")
}

// staffNamed finds a staff member.
func staffNamed(d *sandbox.Dataset, qwUserID string) (sandbox.Staff, bool) {
	i := slices.IndexFunc(d.Staff, func(st sandbox.Staff) bool { return st.QwUserID == qwUserID })
	if i < 0 {
		return sandbox.Staff{}, false
	}
	return d.Staff[i], true
}

// listedCustomer pages through an owner's list and returns the customer.
func listedCustomer(t *testing.T, h http.Handler, owner string, id tanma.ID) tanma.Customer {
	t.Helper()
	cursor := ""
	for {
		body := map[string]any{"qwUserId": owner, "size": 100}
		if cursor != "" {
			body["cursor"] = cursor
		}
		var page tanma.CustomerPage
		epData(t, h, pathList, epBody(t, body), &page)
		for _, c := range page.List {
			if c.CustomerID == id {
				return c
			}
		}
		if page.NextCursor == "" || len(page.List) == 0 {
			t.Fatalf("customer %d is not in %s's list", id, owner)
		}
		cursor = page.NextCursor
	}
}

// TestSimulateNewCustomer: a staff member's new WeChat customer is listed
// and searchable like any other, and new_qw_customer is pushed.
func TestSimulateNewCustomer(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, ack)
	sb := pushingSandbox(t, rc)
	require.Empty(t, sb.Data().CustomersOf("zhaolei"))

	var out struct{ MsgID, CustomerID, ExternalUserID string }
	controlOK(t, sb, sandbox.PathSimulateNewCustomer, map[string]any{"qwUserId": "zhaolei", "name": "王小二", "mobile": "13912345678"}, &out)
	require.Regexp(t, `^wm[0-9A-Za-z]{30}$`, out.ExternalUserID)
	settle(t, sb)

	p := onlyPush(t, rc)
	assert.Equal(t, tanma.PushNewCustomer, p.env.Type)
	assert.Equal(t, out.MsgID, p.env.MsgID)
	var nc tanma.NewCustomer
	strictContent(t, p, &nc)
	assert.Equal(t, out.ExternalUserID, nc.ExternalUserID)
	assert.Equal(t, "zhaolei", nc.QwUserID)
	assert.Equal(t, []string{"13912345678"}, nc.Mobiles)
	assert.Equal(t, "王小二", nc.WechatNickname)
	assert.True(t, strings.HasPrefix(nc.WechatAvatar, "https://"), nc.WechatAvatar)
	assert.Contains(t, string(p.plain), "王小二", "UTF-8, not \\u escapes")

	items, next := listPage(t, sb, "zhaolei", "", 10)
	require.Len(t, items, 1, "the owner's list shows the new customer")
	assert.Equal(t, out.CustomerID, strconv.FormatInt(items[0].ID, 10))
	assert.Equal(t, `"`+out.ExternalUserID+`"`, string(items[0].RawItems["externalUserId"]))
	assert.Empty(t, next)
	var found struct{ Data []map[string]json.RawMessage }
	epData(t, sb, pathSearch, epBody(t, map[string]any{"searchKey": "王小二", "pageNo": 1, "pageSize": 10}), &found)
	require.Len(t, found.Data, 1, "search finds it by name")
	assert.Equal(t, out.CustomerID, string(found.Data[0]["customerId"]))
	epData(t, sb, pathSearch, epBody(t, map[string]any{"searchKey": "13912345678"}), &found)
	assert.Len(t, found.Data, 1, "and by mobile")

	var bare struct{ MsgID, CustomerID string }
	controlOK(t, sb, sandbox.PathSimulateNewCustomer, map[string]any{"qwUserId": "zhaolei", "name": "无手机"}, &bare)
	assert.NotEqual(t, out.CustomerID, bare.CustomerID)
	settle(t, sb)
	var nc2 tanma.NewCustomer
	strictContent(t, rc.pushes()[1], &nc2)
	assert.Equal(t, []string{}, nc2.Mobiles, "no mobile is an empty list, not null")
	assert.Len(t, sb.Data().CustomersOf("zhaolei"), 2)

	for _, bad := range []struct {
		body   string
		status int
	}{
		{`{"qwUserId":"nobody","name":"x"}`, http.StatusNotFound},
		{`{"qwUserId":"zhaolei"}`, http.StatusBadRequest},
		{`{"name":"x"}`, http.StatusBadRequest},
		{`{"qwUserId":"zhaolei","name":"x","mobile":"abc"}`, http.StatusBadRequest},
		{`{"qwUserId":"zhaolei","name":"x","mobile":"13912345678"}`, http.StatusConflict}, // another customer has it
		{`{"qwUserId":"zhaolei","nmae":"x"}`, http.StatusBadRequest},
	} {
		controlFails(t, sb, http.MethodPost, sandbox.PathSimulateNewCustomer, bad.body, bad.status)
	}
	settle(t, sb)
	assert.Equal(t, 2, len(rc.pushes()), "refused simulations push nothing")
	assert.Len(t, sb.Data().CustomersOf("zhaolei"), 2, "nor add anyone")
}

// TestSimulateCorpTag: a new tag of the library comes last in its group in
// list-tree, and change_corp_tag is pushed.
func TestSimulateCorpTag(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, ack)
	sb := pushingSandbox(t, rc)
	before := sb.Data()
	group := before.TagGroups[1]

	var out struct{ MsgID, GroupID, TagID, QwTagID string }
	controlOK(t, sb, sandbox.PathSimulateCorpTag, map[string]any{"groupId": group.ID, "name": "旗舰版"}, &out)
	assert.Equal(t, group.ID.String(), out.GroupID)
	require.Regexp(t, `^et[0-9A-Za-z]{30}$`, out.QwTagID)
	settle(t, sb)

	p := onlyPush(t, rc)
	assert.Equal(t, tanma.PushCorpTag, p.env.Type)
	assert.Equal(t, out.MsgID, p.env.MsgID)
	var ct tanma.CorpTagChange
	require.NoError(t, json.Unmarshal(p.env.Content, &ct))
	assert.Equal(t, tanma.CorpTagChange{TagID: tanma.Text(out.TagID), QwTagID: out.QwTagID, TagGroupID: tanma.Text(group.ID.String()),
		TagGroupName: group.Name, TagGroupQwID: group.QwTagID, TagType: "tag", CurrentName: "旗舰版", ChangeType: "create"}, ct)
	_, content := orderedEnvelope(t, p, envelopeKeys...)
	epObject(t, "content", content, "tagId", "qwTagId", "tagGroupId", "tagGroupName", "tagGroupQwId", "tagType", "currentName", "changeType", "order")
	assert.Equal(t, strconv.Itoa(len(group.Tags)+1), epInteger(t, "order", epMember(content, "order")))

	var tree []struct {
		ID   tanma.ID
		Tags []struct {
			ID      tanma.ID
			Name    string
			QwTagID string
		}
	}
	epData(t, sb, epPathTagTree, "", &tree)
	require.Len(t, tree[1].Tags, len(group.Tags)+1)
	last := tree[1].Tags[len(group.Tags)]
	assert.Equal(t, out.TagID, last.ID.String())
	assert.Equal(t, "旗舰版", last.Name)
	assert.Equal(t, out.QwTagID, last.QwTagID)
	assert.Len(t, before.TagGroups[1].Tags, len(group.Tags), "an earlier snapshot keeps its library")
	for _, g := range before.TagGroups {
		for _, tg := range g.Tags {
			assert.NotEqual(t, out.TagID, tg.ID.String(), "the id is fresh")
			assert.NotEqual(t, out.TagID, g.ID.String(), "the id is fresh")
		}
	}

	for _, bad := range []struct {
		body   string
		status int
	}{
		{fmt.Sprintf(`{"groupId":%d,"name":"旗舰版"}`, group.ID), http.StatusConflict},
		{fmt.Sprintf(`{"groupId":%d,"name":"  "}`, group.ID), http.StatusBadRequest},
		{fmt.Sprintf(`{"groupId":%d,"name":"x"}`, group.Tags[0].ID), http.StatusNotFound}, // a tag is not a group
		{`{"groupId":1,"name":"x"}`, http.StatusNotFound},
		{`{"name":"x"}`, http.StatusBadRequest},
		{`{"groupId":"abc","name":"x"}`, http.StatusBadRequest},
	} {
		controlFails(t, sb, http.MethodPost, sandbox.PathSimulateCorpTag, bad.body, bad.status)
	}
	settle(t, sb)
	assert.Equal(t, 1, len(rc.pushes()), "refused simulations push nothing")
}

// TestPushRetried: a push the receiver fails twice is sent a third time,
// after the backoff, re-signed; then it counts as acknowledged.
func TestPushRetried(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(r *http.Request, n int, env tanma.PushEnvelope) (int, string) {
		if n <= 2 {
			return http.StatusInternalServerError, env.Noise // the body is right, the status not
		}
		return ack(r, n, env)
	})
	sb := pushingSandbox(t, rc)
	controlOK(t, sb, sandbox.PathSimulateCorpTag, map[string]any{"groupId": sb.Data().TagGroups[0].ID, "name": "重试"}, new(json.RawMessage))
	settle(t, sb)

	got := rc.pushes()
	require.Len(t, got, 3)
	for _, p := range got[1:] {
		assert.Equal(t, got[0].env.MsgID, p.env.MsgID, "the same push")
		assert.Equal(t, got[0].env.Noise, p.env.Noise, "the same push")
		assert.Equal(t, got[0].plain, p.plain)
	}
	assert.GreaterOrEqual(t, got[1].at.Sub(got[0].at), 90*time.Millisecond, "the first backoff")
	assert.GreaterOrEqual(t, got[2].at.Sub(got[1].at), 190*time.Millisecond, "the backoff doubles")
	assert.GreaterOrEqual(t, got[2].ts-got[0].ts, int64(250), "each attempt is signed when it is made")
	wantStats(t, sb, sandbox.PushStats{Sent: 1, Attempts: 3, Acknowledged: 1})
}

// TestPushWrongAnswer: only HTTP 200 with the noise acknowledges; every
// other answer is a failure, retried until the attempts run out.
func TestPushWrongAnswer(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		reply func(env tanma.PushEnvelope) (int, string)
	}{
		{"200 with the msgId", func(env tanma.PushEnvelope) (int, string) { return http.StatusOK, env.MsgID }},
		{"200 with ok", func(tanma.PushEnvelope) (int, string) { return http.StatusOK, "ok" }},
		{"200 empty", func(tanma.PushEnvelope) (int, string) { return http.StatusOK, "" }},
		{"200 with the noise in JSON", func(env tanma.PushEnvelope) (int, string) {
			return http.StatusOK, `{"noise":` + env.Noise + `}`
		}},
		{"200 with the noise as a float", func(env tanma.PushEnvelope) (int, string) {
			n, _ := strconv.ParseInt(env.Noise, 10, 64)
			return http.StatusOK, strconv.FormatFloat(float64(n), 'f', -1, 64)
		}},
		{"202 with the noise", func(env tanma.PushEnvelope) (int, string) { return http.StatusAccepted, env.Noise }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rc := newReceiver(t, func(_ *http.Request, _ int, env tanma.PushEnvelope) (int, string) { return tt.reply(env) })
			sb := &sandbox.Server{PushAttempts: 3, PushBackoff: 5 * time.Millisecond}
			sb.SetPushTarget(rc.srv.URL)
			t.Cleanup(sb.Close)
			controlOK(t, sb, sandbox.PathSimulateCorpTag, map[string]any{"groupId": sb.Data().TagGroups[0].ID, "name": "错答"}, new(json.RawMessage))
			settle(t, sb)
			assert.Len(t, rc.pushes(), 3)
			wantStats(t, sb, sandbox.PushStats{Sent: 1, Attempts: 3, GivenUp: 1})
		})
	}
}

// TestPushGivenUp: with the default schedule a receiver that never
// acknowledges gets 5 attempts, 100ms, 200ms, 400ms and 800ms apart; then
// the push is given up and the next one is sent.
func TestPushGivenUp(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(r *http.Request, n int, env tanma.PushEnvelope) (int, string) {
		if env.Type == tanma.PushContactEdit {
			return ack(r, n, env)
		}
		return http.StatusServiceUnavailable, "down"
	})
	sb := pushingSandbox(t, rc)
	controlOK(t, sb, sandbox.PathSimulateCorpTag, map[string]any{"groupId": sb.Data().TagGroups[0].ID, "name": "放弃"}, new(json.RawMessage))
	okData(t, post(sb, wrPathUpdate, epBody(t, map[string]any{"customerId": sandbox.SeedCustomerID,
		"fields": []map[string]any{{"alias": "描述", "values": []string{"之后"}}}})))
	settle(t, sb)

	got := rc.pushes()
	require.Len(t, got, 6)
	for i := 1; i < 5; i++ {
		assert.Equal(t, got[0].env.MsgID, got[i].env.MsgID)
		want := 100 * time.Millisecond << (i - 1)
		assert.GreaterOrEqual(t, got[i].at.Sub(got[i-1].at), want-10*time.Millisecond, "wait before attempt %d", i+1)
	}
	assert.Equal(t, tanma.PushContactEdit, got[5].env.Type, "the next push follows, in order")
	wantStats(t, sb, sandbox.PushStats{Sent: 2, Attempts: 6, Acknowledged: 1, GivenUp: 1})
}

// TestPushOff: without a target nothing is pushed and simulations answer
// an empty msgId; "" turns pushing off again.
func TestPushOff(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, ack)
	sb := &sandbox.Server{}
	t.Cleanup(sb.Close)
	update := func() {
		okData(t, post(sb, wrPathUpdate, epBody(t, map[string]any{"customerId": sandbox.SeedCustomerID,
			"fields": []map[string]any{{"alias": "描述", "values": []string{"x"}}}})))
	}
	update()
	var out struct{ MsgID, TagID string }
	controlOK(t, sb, sandbox.PathSimulateCorpTag, map[string]any{"groupId": sb.Data().TagGroups[0].ID, "name": "无推送"}, &out)
	assert.Empty(t, out.MsgID)
	assert.NotEmpty(t, out.TagID, "the change is made all the same")
	settle(t, sb)
	wantStats(t, sb, sandbox.PushStats{})

	sb.SetPushTarget(rc.srv.URL)
	assert.Equal(t, rc.srv.URL, sb.PushTarget())
	update()
	settle(t, sb)
	sb.SetPushTarget("")
	update()
	settle(t, sb)
	assert.Equal(t, 1, len(rc.pushes()))
	wantStats(t, sb, sandbox.PushStats{Sent: 1, Attempts: 1, Acknowledged: 1})
}

// TestPushNoise: noise spans the whole int64 range (past 2^53, negative),
// is written as an exact integer, and msgIds count up by one.
func TestPushNoise(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, ack)
	sb := pushingSandbox(t, rc)
	const n = 64
	for i := range n {
		okData(t, post(sb, wrPathUpdate, epBody(t, map[string]any{"customerId": sandbox.SeedCustomerID,
			"fields": []map[string]any{{"alias": "描述", "values": []string{fmt.Sprint(i)}}}})))
	}
	settle(t, sb)
	got := rc.pushes()
	require.Len(t, got, n)
	var big, negative, positive int
	seen := map[string]bool{}
	first, _ := strconv.ParseInt(got[0].env.MsgID, 10, 64)
	for i, p := range got {
		noise, err := strconv.ParseInt(p.env.Noise, 10, 64)
		require.NoError(t, err)
		if noise > 1<<53 || noise < -(1<<53) {
			big++
		}
		if noise < 0 {
			negative++
		} else {
			positive++
		}
		assert.False(t, seen[p.env.Noise], "noise repeats")
		seen[p.env.Noise] = true
		assert.Contains(t, string(p.plain), `"noise":`+p.env.Noise+`,`, "the exact integer")
		assert.Equal(t, strconv.FormatInt(first+int64(i), 10), p.env.MsgID)
	}
	assert.Positive(t, big, "noise past 2^53")
	assert.Positive(t, negative, "negative noise")
	assert.Positive(t, positive, "positive noise")
	assert.Greater(t, first, int64(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()), "msgIds start from the time")
	wantStats(t, sb, sandbox.PushStats{Sent: n, Attempts: n, Acknowledged: n})
}

// TestPushAsync: the call that causes a push is answered while the
// receiver still holds the push.
func TestPushAsync(t *testing.T) {
	t.Parallel()
	arrived, release := make(chan struct{}, 10), make(chan struct{})
	rc := newReceiver(t, func(r *http.Request, n int, env tanma.PushEnvelope) (int, string) {
		arrived <- struct{}{}
		<-release
		return ack(r, n, env)
	})
	sb := pushingSandbox(t, rc)
	update := func() {
		okData(t, post(sb, wrPathUpdate, epBody(t, map[string]any{"customerId": sandbox.SeedCustomerID,
			"fields": []map[string]any{{"alias": "描述", "values": []string{"x"}}}})))
	}
	update()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the push never arrived")
	}
	start := time.Now()
	update() // while the first push is held
	assert.Less(t, time.Since(start), time.Second, "a call does not wait for pushes")
	assert.Equal(t, int64(2), sb.PushStats().Pending)
	close(release)
	settle(t, sb)
	wantStats(t, sb, sandbox.PushStats{Sent: 2, Attempts: 2, Acknowledged: 2})
}

// TestPushClose: Close gives up the pending pushes, cancels the one in
// flight, leaves no goroutine and stops pushing.
func TestPushClose(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{}, 10)
	rc := newReceiver(t, func(r *http.Request, _ int, _ tanma.PushEnvelope) (int, string) {
		arrived <- struct{}{}
		select {
		case <-r.Context().Done(): // the sandbox hung up
		case <-time.After(10 * time.Second):
		}
		return http.StatusServiceUnavailable, ""
	})
	sb := pushingSandbox(t, rc)
	update := func() {
		okData(t, post(sb, wrPathUpdate, epBody(t, map[string]any{"customerId": sandbox.SeedCustomerID,
			"fields": []map[string]any{{"alias": "描述", "values": []string{"x"}}}})))
	}
	for range 3 {
		update()
	}
	<-arrived
	start := time.Now()
	sb.Close()
	assert.Less(t, time.Since(start), 5*time.Second, "Close does not wait for the receiver")
	wantStats(t, sb, sandbox.PushStats{Sent: 3, Attempts: 1, GivenUp: 3})
	settle(t, sb)
	update()
	wantStats(t, sb, sandbox.PushStats{Sent: 3, Attempts: 1, GivenUp: 3})
	sb.Close() // again: nothing to do
}

// TestControlEndpoints: the control surface takes no signature, no faults
// and no call counts; it has its own 404 and 405; GET /sandbox/pushes
// reports the target and the counters.
func TestControlEndpoints(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, ack)
	sb := pushingSandbox(t, rc)
	sb.SetFaults(sandbox.Faults{Code: 500})
	controlOK(t, sb, sandbox.PathSimulateNewCustomer, map[string]any{"qwUserId": "xiehua", "name": "不签名"}, new(json.RawMessage))
	settle(t, sb)
	assert.Zero(t, sb.TotalCalls(), "control calls are not counted")

	w := control(sb, http.MethodGet, sandbox.PathPushes, "")
	require.Equal(t, http.StatusOK, w.Code, "%s", w.Body.Bytes())
	v, err := decodeOrdered(w.Body.Bytes())
	require.NoError(t, err)
	obj := epObject(t, "pushes", v, "target", "sent", "attempts", "acknowledged", "givenUp", "pending")
	assert.Equal(t, rc.srv.URL, epMember(obj, "target"))
	assert.Equal(t, "1", epInteger(t, "acknowledged", epMember(obj, "acknowledged")))

	controlFails(t, sb, http.MethodPost, sandbox.PathPushes, "", http.StatusMethodNotAllowed)
	controlFails(t, sb, http.MethodGet, sandbox.PathSimulateCorpTag, "", http.StatusMethodNotAllowed)
	controlFails(t, sb, http.MethodPost, "/sandbox/simulate/unknown", "{}", http.StatusNotFound)
	assert.Equal(t, http.MethodPost, control(sb, http.MethodGet, sandbox.PathSimulateCustomerTag, "").Header().Get("Allow"))
}
