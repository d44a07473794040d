package tanma

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Answers outside the documented shape. A page of customers is decoded
// strictly first (the fast path, every answer that follows Tanma's pages);
// when that fails, it is decoded again item by item (decodeLenient), so one
// customer with a value of the wrong JSON type does not cost the others
// their page: what could be read is kept, and each part that could not is
// named in the customer's Flaws (or its field's Flaw). Nothing is made up:
// an item that is not an object, or has no readable customerId, keeps
// CustomerID 0, and the customer store leaves it out with an error.

// Flaw is a part of an answer that was not in Tanma's documented shape.
type Flaw struct {
	Property string // the property as Tanma names it (createTime, tagIds, fields...); "" for the item itself
	Problem  string // what was wrong, in a few words; never the value
}

// Flaw problems.
const (
	FlawWrongType = "WRONG_TYPE" // a JSON type the documentation does not give
	FlawNotObject = "NOT_OBJECT" // an item that is not a JSON object (null, a number...)
	FlawNoKey     = "NO_KEY"     // an entry of the fields array that names no field
	FlawDuplicate = "DUPLICATE"  // a field listed twice, with another value the second time
)

// lenientDecoder is an answer type that can be decoded part by part when
// the strict decoding fails.
type lenientDecoder interface {
	decodeLenient(data []byte) error
}

var (
	_ lenientDecoder = (*CustomerPage)(nil)
	_ lenientDecoder = (*FollowUpPage)(nil)
)

// Invalid is the error of an answer that decoded but is outside Tanma's
// documented shape (a missing list, a repeating cursor): why names what,
// never a value.
func Invalid(endpoint, why string) *APIError {
	return &APIError{Endpoint: endpoint, HTTPStatus: http.StatusOK, Err: fmt.Errorf("%w: %w: %s", ErrBadResponse, ErrOutsideShape, why)}
}

// decodeLenient decodes a customer page customer by customer; the page
// fails only when it is not an object or its cursor is not text.
func (p *CustomerPage) decodeLenient(data []byte) error {
	var err error
	p.List, p.NextCursor, err = lenientPage(data, lenientCustomer)
	return err
}

// decodeLenient decodes a follow-up page record by record: a record that
// does not decode keeps ID 0 (left out by the store, with an error).
func (p *FollowUpPage) decodeLenient(data []byte) error {
	var err error
	p.List, p.NextCursor, err = lenientPage(data, func(item []byte) FollowUp {
		var f FollowUp
		if unmarshal(item, &f) != nil {
			return FollowUp{}
		}
		return f
	})
	return err
}

// lenientPage decodes a cursor-paged answer ({list, nextCursor}) item by
// item with item; a missing list stays nil.
func lenientPage[T any](data []byte, item func([]byte) T) ([]T, string, error) {
	var raw struct {
		List       []json.RawMessage `json:"list"`
		NextCursor *string           `json:"nextCursor"`
	}
	if err := unmarshal(data, &raw); err != nil {
		return nil, "", err
	}
	var next string
	if raw.NextCursor != nil {
		next = *raw.NextCursor
	}
	if raw.List == nil {
		return nil, next, nil
	}
	out := make([]T, len(raw.List))
	for i, it := range raw.List {
		out[i] = item(it)
	}
	return out, next, nil
}

// lenientCustomer decodes one list item: strictly when it can, else
// property by property.
func lenientCustomer(item []byte) Customer {
	var c Customer
	if unmarshal(item, &c) == nil {
		if isNull(item) {
			c.Flaws = []Flaw{{Problem: FlawNotObject}}
		}
		return c
	}
	var props map[string]json.RawMessage
	if unmarshal(item, &props) != nil || props == nil {
		return Customer{Flaws: []Flaw{{Problem: FlawNotObject}}}
	}
	c = Customer{}
	c.readProps(props)
	return c
}

// readProps sets the customer's documented properties from props, one by
// one, naming in Flaws each that is not of its documented type.
func (c *Customer) readProps(props map[string]json.RawMessage) {
	prop := func(name string, into any) {
		raw, ok := props[name]
		if !ok || isNull(raw) {
			return
		}
		if unmarshal(raw, into) != nil {
			c.Flaws = append(c.Flaws, Flaw{Property: name, Problem: FlawWrongType})
		}
	}
	prop("customerId", &c.CustomerID)
	texts := []struct {
		name string
		into **string
	}{
		{"qwUserId", &c.QwUserID}, {"createTime", &c.CreateTime}, {"lastUpdateTime", &c.LastUpdateTime},
		{"wechatNickname", &c.WechatNickname}, {"wechatAvatar", &c.WechatAvatar}, {"wechatLocation", &c.WechatLocation},
		{"convertCustomerTime", &c.ConvertCustomerTime}, {"qwRemark", &c.QwRemark}, {"externalUserId", &c.ExternalUserID},
	}
	for _, t := range texts {
		var s string
		if prop(t.name, &s); s != "" || isString(props[t.name]) {
			*t.into = &s
		}
	}
	var typ int
	if raw, ok := props["type"]; ok && !isNull(raw) {
		if unmarshal(raw, &typ) == nil {
			c.Type = &typ
		} else {
			c.Flaws = append(c.Flaws, Flaw{Property: "type", Problem: FlawWrongType})
		}
	}
	c.readTagIDs(props["tagIds"])
	c.readFields(props["fields"])
}

// readTagIDs keeps the tag ids that are text; any other entry is a flaw.
func (c *Customer) readTagIDs(raw json.RawMessage) {
	if raw == nil || isNull(raw) {
		return
	}
	var entries []json.RawMessage
	if unmarshal(raw, &entries) != nil {
		c.Flaws = append(c.Flaws, Flaw{Property: "tagIds", Problem: FlawWrongType})
		return
	}
	c.TagIDs = make([]string, 0, len(entries))
	for _, e := range entries {
		var id string
		if !isString(e) || unmarshal(e, &id) != nil {
			c.Flaws = append(c.Flaws, Flaw{Property: "tagIds", Problem: FlawWrongType})
			continue
		}
		c.TagIDs = append(c.TagIDs, id)
	}
}

// readFields keeps every entry of the fields array that names its field;
// a value or type code of the wrong type is kept and flagged on the entry
// (Field.Flaw), an entry without a field key is a flaw of the customer.
func (c *Customer) readFields(raw json.RawMessage) {
	if raw == nil || isNull(raw) {
		return
	}
	var entries []map[string]json.RawMessage
	if unmarshal(raw, &entries) != nil {
		c.Flaws = append(c.Flaws, Flaw{Property: "fields", Problem: FlawWrongType})
		return
	}
	c.Fields = make([]Field, 0, len(entries))
	for _, e := range entries {
		f, ok := lenientField(e)
		if !ok {
			c.Flaws = append(c.Flaws, Flaw{Property: "fields", Problem: FlawNoKey})
			continue
		}
		c.Fields = append(c.Fields, f)
	}
}

// lenientField reads one entry of a fields array; false when it names no
// field.
func lenientField(e map[string]json.RawMessage) (Field, bool) {
	var f Field
	if e == nil || !isString(e["field"]) || unmarshal(e["field"], &f.Field) != nil || f.Field == "" {
		return f, false
	}
	if raw, ok := e["type"]; ok && !isNull(raw) {
		if unmarshal(raw, &f.Type) != nil {
			f.Flaw = FlawWrongType
			var s string
			if unmarshal(raw, &s) == nil {
				f.Type, _ = strconv.Atoi(s) // a code sent as text still says which kind
			}
		}
	}
	if raw, ok := e["valueAsText"]; ok && !isNull(raw) {
		var s string
		if isString(raw) && unmarshal(raw, &s) == nil {
			f.ValueAsText = &s
		} else {
			text := string(bytes.TrimSpace(raw)) // its JSON text, flagged
			f.ValueAsText, f.Flaw = &text, FlawWrongType
		}
	}
	return f, true
}

// eachOf decodes the entries of a JSON array one by one as T: an entry
// that does not decode (null, another JSON type, a property of the wrong
// type) or that ok refuses becomes leftOut, so its reader can count it;
// the others keep their order.
func eachOf[T any](raws []json.RawMessage, ok func(T) bool, leftOut T) []T {
	out := make([]T, 0, len(raws))
	for _, raw := range raws {
		var v T
		if isNull(raw) || unmarshal(raw, &v) != nil || !ok(v) {
			v = leftOut
		}
		out = append(out, v)
	}
	return out
}

func isNull(raw []byte) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

func isString(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '"'
}
