package events

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// FuzzReceiver: whatever a correctly signed and encrypted push carries
// (any bytes once decrypted), the receiver never panics and answers 200
// with the noise exactly as sent, or 4xx with nothing said; what it applies
// is an event of a known kind with its msgId.
func FuzzReceiver(f *testing.F) {
	for _, s := range []string{
		`{"noise":9223372036854775807,"msgId":1,"type":"change_customer_tag","content":{"customerId":398604120668224,"qwSalesId":"dowen","tagId":"12","qwTagId":"et1","changeType":"add_qw_tag"}}`,
		`{"noise":-1,"msgId":"2","type":"customer_contact_edit","content":{"customerId":"1","qwSalesId":"x"}}`,
		`{"noise":1,"msgId":3,"type":"new_qw_customer","content":{"qwSalesId":"lina","externalUserId":"wm1"}}`,
		`{"noise":1e400,"msgId":4,"type":"change_corp_tag","content":{"changeType":"create","tagType":"tag","tagId":"1"}}`,
		`{"noise":1,"msgId":5,"type":"register"}`,
		`{"noise":1,"msgId":6,"type":"nope","content":null}`,
		`{"noise":"1","msgId":{},"type":7}`,
		`[]`, `null`, ``, "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, plain []byte) {
		e := newReceiverEnv()
		w := e.push(t, string(plain), nil)
		switch {
		case w.Code == http.StatusOK:
			var env struct {
				Noise json.Number `json:"noise"`
			}
			d := json.NewDecoder(strings.NewReader(string(plain)))
			d.UseNumber()
			if d.Decode(&env) != nil || w.Body.String() != string(env.Noise) {
				t.Fatalf("acknowledged with %q: %q", w.Body.String(), plain)
			}
		case w.Code >= 400 && w.Code < 500:
		default:
			t.Fatalf("status %d for %q", w.Code, plain)
		}
		for _, ev := range e.applied {
			if ev.MsgID == "" || ev.Kind == "" {
				t.Fatalf("applied %+v from %q", ev, plain)
			}
		}
	})
}
