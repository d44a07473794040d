package tanma

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Push (webhook) events: Tanma POSTs them to the integrator's address with
// the headers appId, timestamp (Unix ms), version and sign, and a body that
// is the Base64 of the encrypted JSON envelope (PushEnvelope). See
// ../shared/tanma-api.md, "Push (webhook) events".

// PushVersion is the only push format version documented.
const PushVersion = "1"

// HeaderVersion is the push header carrying the format version.
const HeaderVersion = "version"

// Push event types. Tanma documents more; an unknown type is acknowledged
// and ignored.
const (
	PushVerify   = "verify"   // an address check
	PushRegister = "register" // an address check
	// PushCorpTag: the tag library changed (CorpTagChange).
	PushCorpTag = "change_corp_tag"
	// PushCustomerTag: a customer's tags changed (CustomerTagChange).
	PushCustomerTag = "change_customer_tag"
	// PushTagInfo is the name Tanma's own page for the customer tag push
	// gives the same event ("消息type固定:tag_info"); both are read alike.
	PushTagInfo = "tag_info"
	// PushNewCustomer: a staff member added a WeChat customer (NewCustomer).
	PushNewCustomer = "new_qw_customer"
	// PushContactEdit: a customer's contact details were edited (ContactEdit).
	PushContactEdit = "customer_contact_edit"
)

// KnownPushType reports whether t is one of the push types above.
func KnownPushType(t string) bool {
	switch t {
	case PushVerify, PushRegister, PushCorpTag, PushCustomerTag, PushTagInfo, PushNewCustomer, PushContactEdit:
		return true
	}
	return false
}

// Push failures, each a sentinel for errors.Is.
var (
	ErrPushMalformed = errors.New("tanma: push body is not a readable envelope")
)

// PushSign is the sign header of a push: lowercase hex SHA-256 of appID +
// version + timestamp + appKey (the body takes no part).
func PushSign(appID, version, timestamp string, appKey Secret) string {
	sum := sha256.Sum256([]byte(appID + version + timestamp + appKey.Reveal()))
	return hex.EncodeToString(sum[:])
}

// VerifyPush checks a push's headers: its appId is ours, its version the
// one documented, its sign right (compared in constant time) and its
// timestamp within window of now. It returns one of the sentinels of
// Verify (ErrMissingHeader, ErrUnknownApp, ErrBadSignature,
// ErrStaleTimestamp) or ErrPushVersion.
func VerifyPush(h http.Header, appID string, appKey Secret, now time.Time, window time.Duration) error {
	gotApp, ts, version, sig := h.Get(HeaderAppID), h.Get(HeaderTimestamp), h.Get(HeaderVersion), h.Get(HeaderSign)
	if gotApp == "" || ts == "" || version == "" || sig == "" {
		return ErrMissingHeader
	}
	if subtle.ConstantTimeCompare([]byte(gotApp), []byte(appID)) != 1 {
		return ErrUnknownApp
	}
	if subtle.ConstantTimeCompare([]byte(sig), []byte(PushSign(appID, version, ts, appKey))) != 1 {
		return ErrBadSignature
	}
	if version != PushVersion {
		return ErrPushVersion
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrStaleTimestamp
	}
	if d := now.Sub(time.UnixMilli(ms)); d > window || d < -window {
		return ErrStaleTimestamp
	}
	return nil
}

// ErrPushVersion: the push names a format version other than PushVersion.
var ErrPushVersion = errors.New("tanma: unknown push version")

// CorpID is the WeChat Work corp id an app id belongs to: the app id up to
// its first "_" (ww51046ddc4f4df510_NjaEnW → ww51046ddc4f4df510), which is
// the rule Tanma's page gives. Its own example breaks it (app id and corp
// id both "zc_test"), so the gateway lets TANMA_CORP_ID say otherwise.
func CorpID(appID string) string {
	corpID, _, _ := strings.Cut(appID, "_")
	return corpID
}

// pushCipher is AES-128 in CTR mode with key = the first 16 bytes of
// SHA-256(appKey) and IV = the first 16 bytes of SHA-256(corpID). Tanma's
// page names the mode "AES/CTR/PKCS5Padding" but pads nothing: the
// ciphertext is as long as the plaintext (verified against its example).
func pushCipher(corpID string, appKey Secret) cipher.Stream {
	key := sha256.Sum256([]byte(appKey.Reveal()))
	iv := sha256.Sum256([]byte(corpID))
	block, _ := aes.NewCipher(key[:16]) // a 16-byte key never fails
	return cipher.NewCTR(block, iv[:16])
}

// DecryptPush returns the plaintext of a push body (Base64 of the
// ciphertext; surrounding whitespace ignored) for the corp's app.
func DecryptPush(body []byte, corpID string, appKey Secret) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(body)))
	if err != nil {
		return nil, fmt.Errorf("%w: not Base64", ErrPushMalformed)
	}
	out := make([]byte, len(raw))
	pushCipher(corpID, appKey).XORKeyStream(out, raw)
	return out, nil
}

// EncryptPush returns a push body for plaintext, as Tanma sends it (the
// sandbox pushes with it).
func EncryptPush(plaintext []byte, corpID string, appKey Secret) []byte {
	out := make([]byte, len(plaintext))
	pushCipher(corpID, appKey).XORKeyStream(out, plaintext)
	return []byte(base64.StdEncoding.EncodeToString(out))
}

// PushEnvelope is a decrypted push: {noise, msgId, type, content}.
type PushEnvelope struct {
	// Noise is echoed to acknowledge the push. It is a 64-bit integer
	// (beyond 2^53 and negative in Tanma's examples): kept as its exact
	// decimal text, never as a float.
	Noise   string
	MsgID   string // the message id, its decimal text: the key of replays
	Type    string
	Content json.RawMessage
}

// ParsePushEnvelope reads a decrypted push. noise and msgId must be JSON
// integers that fit in 64 bits; type a string.
func ParsePushEnvelope(plain []byte) (PushEnvelope, error) {
	var raw struct {
		Noise   json.Number     `json:"noise"`
		MsgID   json.Number     `json:"msgId"`
		Type    *string         `json:"type"`
		Content json.RawMessage `json:"content"`
	}
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return PushEnvelope{}, fmt.Errorf("%w: not a JSON object", ErrPushMalformed)
	}
	if _, err := strconv.ParseInt(string(raw.Noise), 10, 64); err != nil {
		return PushEnvelope{}, fmt.Errorf("%w: noise is not a 64-bit integer", ErrPushMalformed)
	}
	if _, err := strconv.ParseInt(string(raw.MsgID), 10, 64); err != nil {
		return PushEnvelope{}, fmt.Errorf("%w: msgId is not a 64-bit integer", ErrPushMalformed)
	}
	if raw.Type == nil || *raw.Type == "" {
		return PushEnvelope{}, fmt.Errorf("%w: no type", ErrPushMalformed)
	}
	return PushEnvelope{Noise: string(raw.Noise), MsgID: string(raw.MsgID), Type: *raw.Type, Content: raw.Content}, nil
}

// CorpTagChange is the content of change_corp_tag: a tag or tag group of
// the library was created, updated or deleted.
type CorpTagChange struct {
	TagID        Text   `json:"tagId"`
	QwTagID      string `json:"qwTagId"`
	TagGroupID   Text   `json:"tagGroupId"`
	TagGroupName string `json:"tagGroupName"`
	TagGroupQwID string `json:"tagGroupQwId"`
	TagType      string `json:"tagType"` // tag_group or tag
	CurrentName  string `json:"currentName"`
	ChangeType   string `json:"changeType"` // create, update or delete
}

// CustomerTagChange is the content of change_customer_tag (tag_info): a
// tag was added to or removed from a customer.
type CustomerTagChange struct {
	CustomerID ID     `json:"customerId"`
	SalesID    Text   `json:"salesId"`
	QwSalesID  string `json:"qwSalesId"` // the owner's WeChat Work user id
	TagID      Text   `json:"tagId"`
	QwTagID    string `json:"qwTagId"`
	ChangeType string `json:"changeType"` // add_qw_tag or del_qw_tag
}

// NewCustomer is the content of new_qw_customer: a staff member added a
// WeChat customer. It names no Tanma customer id.
type NewCustomer struct {
	ExternalUserID string   `json:"externalUserId"`
	UnionID        string   `json:"unionId"`
	QwUserID       string   `json:"qwUserId"` // the staff member who added it
	Mobiles        []string `json:"mobiles"`
	WechatNickname string   `json:"wechatNickname"`
	WechatAvatar   string   `json:"wechatAvatar"`
}

// ContactEdit is the content of customer_contact_edit.
type ContactEdit struct {
	CustomerID ID   `json:"customerId"`
	ContactID  Text `json:"contactId"`
	EventID    Text `json:"eventId"`
}

// PushRequest builds the request Tanma would send to url with envelope
// plaintext, signed and encrypted with the app's credentials at now (the
// sandbox pushes with it; tests too).
func PushRequest(url string, plaintext []byte, appID, corpID string, appKey Secret, now time.Time) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(EncryptPush(plaintext, corpID, appKey)))
	if err != nil {
		return nil, err
	}
	ts := Timestamp(now)
	req.Header.Set(HeaderAppID, appID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderVersion, PushVersion)
	req.Header.Set(HeaderSign, PushSign(appID, PushVersion, ts, appKey))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	return req, nil
}
