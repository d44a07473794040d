package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// The sandbox's control endpoints live under /sandbox/, a prefix Tanma does
// not use. They are the sandbox's own surface, like its fault knobs, not
// Tanma's: they take no signature, no fault is injected into them and Calls
// does not count them. Bodies and answers are plain JSON (ids as decimal
// strings); a failure is {"error": message} with HTTP 400 (a bad request),
// 404 (an unknown id or path), 405 (a wrong method) or 409 (the change
// would change nothing or break the dataset).
//
// Each simulation changes the dataset as a write does (copy-on-write, see
// write) and pushes the event Tanma would push for the change (see
// push.go); its answer carries the push's msgId ("" when no push target is
// set) and the ids it made or changed.
const controlPrefix = "/sandbox/"

// The control endpoints.
const (
	// PathSimulateCustomerTag: POST {customerId, tagId, remove} tags a
	// customer (or untags it with remove: true) and pushes
	// change_customer_tag. See simulateCustomerTag.
	PathSimulateCustomerTag = "/sandbox/simulate/customer-tag"
	// PathSimulateNewCustomer: POST {qwUserId, name, mobile?} adds a WeChat
	// customer to a staff member and pushes new_qw_customer. See
	// simulateNewCustomer.
	PathSimulateNewCustomer = "/sandbox/simulate/new-customer"
	// PathSimulateCorpTag: POST {groupId, name} adds a tag to a group of
	// the tag library and pushes change_corp_tag. See simulateCorpTag.
	PathSimulateCorpTag = "/sandbox/simulate/corp-tag"
	// PathPushes: GET answers the push target and PushStats as JSON.
	PathPushes = "/sandbox/pushes"
)

// simulation serves one simulate endpoint: the answer to send as JSON, or
// an *answer failure (its status and message are used).
type simulation func(s *Server, body []byte) (any, error)

var simulations = map[string]simulation{
	PathSimulateCustomerTag: (*Server).simulateCustomerTag,
	PathSimulateNewCustomer: (*Server).simulateNewCustomer,
	PathSimulateCorpTag:     (*Server).simulateCorpTag,
}

// controlError is a control endpoint's failure.
type controlError struct {
	Error string `json:"error"`
}

func controlFail(status int, format string, args ...any) *answer {
	return &answer{status: status, code: status, message: fmt.Sprintf(format, args...)}
}

// serveControl answers a request under controlPrefix.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	fail := func(a *answer) { writeJSON(w, a.status, controlError{a.message}) }
	if r.URL.Path == PathPushes {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			fail(controlFail(http.StatusMethodNotAllowed, "%s takes GET", r.URL.Path))
			return
		}
		writeJSON(w, http.StatusOK, pushesJSON{Target: s.PushTarget(), PushStats: s.PushStats()})
		return
	}
	sim, ok := simulations[r.URL.Path]
	if !ok {
		fail(controlFail(http.StatusNotFound, "no sandbox endpoint %s", r.URL.Path))
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		fail(controlFail(http.StatusMethodNotAllowed, "%s takes POST", r.URL.Path))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(body) > maxRequestBody {
		fail(controlFail(http.StatusBadRequest, "body unreadable or too large"))
		return
	}
	out, err := sim(s, body)
	if err != nil {
		var a *answer
		if !errors.As(err, &a) {
			a = controlFail(http.StatusInternalServerError, "%v", err)
		}
		fail(a)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// pushesJSON is the answer of PathPushes.
type pushesJSON struct {
	Target string `json:"target"`
	PushStats
}

// decodeControl decodes a control body: one JSON object whose member names
// are exactly those v declares (encoding/json alone would take "tagID" for
// "tagId"; a misspelt name is an error, not a default).
func decodeControl(body []byte, v any) *answer {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		return controlFail(http.StatusBadRequest, "body is not a JSON object")
	}
	names := jsonNames(reflect.TypeOf(v).Elem())
	for k := range members {
		if !names[k] {
			return controlFail(http.StatusBadRequest, "unknown member %q", k)
		}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return controlFail(http.StatusBadRequest, "body: %v", err)
	}
	return nil
}

// firstMsgID is the msgId of a simulation's push, "" when none was made.
func firstMsgID(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// customerTagJSON is the content of change_customer_tag, after Tanma's
// example of its customer tag push: ids of Tanma as JSON numbers, WeChat
// ids as strings, and the tag's group by its WeChat id (tagGroupId) and
// name.
type customerTagJSON struct {
	CustomerID   tanma.ID `json:"customerId"`
	SalesID      tanma.ID `json:"salesId"`
	QwSalesID    string   `json:"qwSalesId"`
	TagID        tanma.ID `json:"tagId"`
	QwTagID      string   `json:"qwTagId"`
	QwTagName    string   `json:"qwTagName"`
	TagGroupID   string   `json:"tagGroupId"`
	TagGroupName string   `json:"tagGroupName"`
	ChangeType   string   `json:"changeType"`
}

// Customer tag change types.
const (
	changeAddTag = "add_qw_tag"
	changeDelTag = "del_qw_tag"
)

// simulateCustomerTag serves PathSimulateCustomerTag: body {customerId,
// tagId (a Tanma tag id of the library), remove}; answer {msgId,
// customerId, tagId, qwTagId, changeType, tagIds (the customer's tags
// now)}.
//
// Sandbox choice: the customer gains the tag's qwTagId in its tagIds (its
// lastUpdateTime becomes now), or loses every occurrence of it. Adding a
// tag the customer has, or removing one it has not, is 409 and pushes
// nothing; so is tagging a customer without an owner (a lead has no WeChat
// relation to tag). The push's type is change_customer_tag, the name
// tanma-api.md gives; Tanma's own page for it names it tag_info, which
// tanma.PushTagInfo reads alike.
func (s *Server) simulateCustomerTag(body []byte) (any, error) {
	var req struct {
		CustomerID tanma.ID `json:"customerId"`
		TagID      tanma.ID `json:"tagId"`
		Remove     bool     `json:"remove"`
	}
	if a := decodeControl(body, &req); a != nil {
		return nil, a
	}
	if req.CustomerID == 0 || req.TagID == 0 {
		return nil, controlFail(http.StatusBadRequest, "customerId and tagId are required")
	}
	change := changeAddTag
	if req.Remove {
		change = changeDelTag
	}
	var out struct {
		MsgID      string   `json:"msgId"`
		CustomerID string   `json:"customerId"`
		TagID      string   `json:"tagId"`
		QwTagID    string   `json:"qwTagId"`
		ChangeType string   `json:"changeType"`
		TagIDs     []string `json:"tagIds"`
	}
	ids, err := s.write(func(d *Dataset) ([]event, *answer) {
		i, ok := d.byID[req.CustomerID]
		if !ok {
			return nil, controlFail(http.StatusNotFound, "no customer %d", req.CustomerID)
		}
		g, t, ok := d.tagByID(req.TagID)
		if !ok {
			return nil, controlFail(http.StatusNotFound, "no tag %d in the tag library", req.TagID)
		}
		c := &d.Customers[i]
		owner, ok := d.staffBy(func(st Staff) bool { return st.QwUserID == deref(c.QwUserID) })
		if !ok {
			return nil, controlFail(http.StatusConflict, "customer %d has no owner: a lead has no WeChat relation to tag", req.CustomerID)
		}
		tag, group := d.TagGroups[g].Tags[t], d.TagGroups[g]
		has := slices.Contains(c.TagIDs, tag.QwTagID)
		switch {
		case req.Remove && !has:
			return nil, controlFail(http.StatusConflict, "customer %d does not have tag %d", req.CustomerID, req.TagID)
		case !req.Remove && has:
			return nil, controlFail(http.StatusConflict, "customer %d already has tag %d", req.CustomerID, req.TagID)
		case req.Remove:
			c.TagIDs = slices.DeleteFunc(slices.Clone(c.TagIDs), func(id string) bool { return id == tag.QwTagID })
		default:
			c.TagIDs = append(slices.Clone(c.TagIDs), tag.QwTagID)
		}
		c.LastUpdateTime = str(s.now().In(tanma.Shanghai).Format(tanma.DateTimeLayout))
		out.CustomerID, out.TagID, out.QwTagID, out.ChangeType = c.CustomerID.String(), tag.ID.String(), tag.QwTagID, change
		out.TagIDs = slices.Clone(c.TagIDs)
		return []event{{Type: tanma.PushCustomerTag, Content: customerTagJSON{
			CustomerID: c.CustomerID, SalesID: owner.SalesID, QwSalesID: owner.QwUserID,
			TagID: tag.ID, QwTagID: tag.QwTagID, QwTagName: tag.Name,
			TagGroupID: group.QwTagID, TagGroupName: group.Name, ChangeType: change,
		}}}, nil
	})
	if err != nil {
		return nil, err
	}
	out.MsgID = firstMsgID(ids)
	return out, nil
}

// tagByID finds a tag of the library: its group's index and its own.
func (d *Dataset) tagByID(id tanma.ID) (group, tag int, ok bool) {
	for g, gr := range d.TagGroups {
		if t := slices.IndexFunc(gr.Tags, func(t Tag) bool { return t.ID == id }); t >= 0 {
			return g, t, true
		}
	}
	return 0, 0, false
}

// newCustomerJSON is the content of new_qw_customer.
type newCustomerJSON struct {
	ExternalUserID string   `json:"externalUserId"`
	UnionID        string   `json:"unionId"`
	QwUserID       string   `json:"qwUserId"`
	Mobiles        []string `json:"mobiles"`
	WechatNickname string   `json:"wechatNickname"`
	WechatAvatar   string   `json:"wechatAvatar"`
}

// simulateNewCustomer serves PathSimulateNewCustomer: body {qwUserId (a
// staff member), name, mobile (optional)}; answer {msgId, customerId,
// externalUserId}.
//
// Sandbox choice: the staff member adds a WeChat customer: a customer with
// a fresh id (as add-clue's), a fresh externalUserId ("wm" and 30
// characters), the name as its name field and WeChat nickname, a made-up
// avatar, no tags, created now, so it comes last in its owner's lists and
// search finds it by name or mobile. Its other fields are null. The mobile
// must be a phone number no other customer has (409 otherwise, as the API's
// writes refuse duplicates). The push's unionId is "": the sandbox keeps
// none. mobiles is [] without a mobile.
func (s *Server) simulateNewCustomer(body []byte) (any, error) {
	var req struct {
		QwUserID string `json:"qwUserId"`
		Name     string `json:"name"`
		Mobile   string `json:"mobile"`
	}
	if a := decodeControl(body, &req); a != nil {
		return nil, a
	}
	name, mobile := strings.TrimSpace(req.Name), strings.TrimSpace(req.Mobile)
	if req.QwUserID == "" || name == "" {
		return nil, controlFail(http.StatusBadRequest, "qwUserId and name are required")
	}
	mobiles := []string{}
	if mobile != "" {
		if !tanma.ValidPhone(mobile) {
			return nil, controlFail(http.StatusBadRequest, "mobile %q is not a phone number", mobile)
		}
		mobiles = append(mobiles, mobile)
	}
	var out struct {
		MsgID          string `json:"msgId"`
		CustomerID     string `json:"customerId"`
		ExternalUserID string `json:"externalUserId"`
	}
	ids, err := s.write(func(d *Dataset) ([]event, *answer) {
		if _, ok := d.staffBy(func(st Staff) bool { return st.QwUserID == req.QwUserID }); !ok {
			return nil, controlFail(http.StatusNotFound, "no staff member %q", req.QwUserID)
		}
		values := map[string]*string{tanma.KeyName: &name}
		if len(mobiles) > 0 {
			values[tanma.KeyMobile] = jsonText(mobiles)
		}
		if d.checkPhones(values, 0) != nil {
			return nil, controlFail(http.StatusConflict, "another customer has mobile %s", mobile)
		}
		now := s.now().In(tanma.Shanghai).Format(tanma.DateTimeLayout)
		ext := randomToken("wm", 30)
		avatar := "https://wework.qpic.cn/wwhead/" + randomToken("", 40) + "/0"
		c := tanma.Customer{
			CustomerID: d.nextID(), QwUserID: str(req.QwUserID), Type: new(1), TagIDs: []string{},
			CreateTime: &now, LastUpdateTime: &now, WechatNickname: &name, WechatAvatar: &avatar, ExternalUserID: &ext,
		}
		for _, def := range d.Fields {
			c.Fields = append(c.Fields, tanma.Field{Field: def.Key, Type: def.Type, ValueAsText: values[def.Key]})
		}
		d.Customers = append(d.Customers, c)
		out.CustomerID, out.ExternalUserID = c.CustomerID.String(), ext
		return []event{{Type: tanma.PushNewCustomer, Content: newCustomerJSON{
			ExternalUserID: ext, UnionID: "", QwUserID: req.QwUserID, Mobiles: mobiles, WechatNickname: name, WechatAvatar: avatar,
		}}}, nil
	})
	if err != nil {
		return nil, err
	}
	out.MsgID = firstMsgID(ids)
	return out, nil
}

// corpTagJSON is the content of change_corp_tag.
type corpTagJSON struct {
	TagID        tanma.ID `json:"tagId"`
	QwTagID      string   `json:"qwTagId"`
	TagGroupID   string   `json:"tagGroupId"`
	TagGroupName string   `json:"tagGroupName"`
	TagGroupQwID string   `json:"tagGroupQwId"`
	TagType      string   `json:"tagType"`
	CurrentName  string   `json:"currentName"`
	ChangeType   string   `json:"changeType"`
	Order        int      `json:"order"`
}

// simulateCorpTag serves PathSimulateCorpTag: body {groupId (a Tanma tag
// group id), name}; answer {msgId, groupId, tagId, qwTagId}.
//
// Sandbox choice: the tag comes last in its group, with a fresh id (above
// every tag and group id of the library) and a fresh qwTagId ("et" and 30
// characters); a name the group already has is 409. The push follows
// Tanma's page: tagType "tag", changeType "create", tagId a JSON number as
// in its example, tagGroupId a decimal string as its table says (the
// example has none), order the tag's 1-based place in its group.
func (s *Server) simulateCorpTag(body []byte) (any, error) {
	var req struct {
		GroupID tanma.ID `json:"groupId"`
		Name    string   `json:"name"`
	}
	if a := decodeControl(body, &req); a != nil {
		return nil, a
	}
	name := strings.TrimSpace(req.Name)
	if req.GroupID == 0 || name == "" {
		return nil, controlFail(http.StatusBadRequest, "groupId and name are required")
	}
	var out struct {
		MsgID   string `json:"msgId"`
		GroupID string `json:"groupId"`
		TagID   string `json:"tagId"`
		QwTagID string `json:"qwTagId"`
	}
	ids, err := s.write(func(d *Dataset) ([]event, *answer) {
		g := slices.IndexFunc(d.TagGroups, func(g TagGroup) bool { return g.ID == req.GroupID })
		if g < 0 {
			return nil, controlFail(http.StatusNotFound, "no tag group %d in the tag library", req.GroupID)
		}
		if slices.ContainsFunc(d.TagGroups[g].Tags, func(t Tag) bool { return t.Name == name }) {
			return nil, controlFail(http.StatusConflict, "tag group %d already has a tag %q", req.GroupID, name)
		}
		tag := Tag{ID: d.nextTagID(), Name: name, QwTagID: randomToken("et", 30)}
		d.TagGroups = slices.Clone(d.TagGroups) // the previous snapshot keeps its own
		group := &d.TagGroups[g]
		group.Tags = append(slices.Clone(group.Tags), tag)
		out.GroupID, out.TagID, out.QwTagID = group.ID.String(), tag.ID.String(), tag.QwTagID
		return []event{{Type: tanma.PushCorpTag, Content: corpTagJSON{
			TagID: tag.ID, QwTagID: tag.QwTagID, TagGroupID: group.ID.String(), TagGroupName: group.Name,
			TagGroupQwID: group.QwTagID, TagType: "tag", CurrentName: tag.Name, ChangeType: "create", Order: len(group.Tags),
		}}}, nil
	})
	if err != nil {
		return nil, err
	}
	out.MsgID = firstMsgID(ids)
	return out, nil
}

// nextTagID is an id above every tag and group id of the library.
func (d *Dataset) nextTagID() tanma.ID {
	var top tanma.ID
	for _, g := range d.TagGroups {
		top = max(top, g.ID)
		for _, t := range g.Tags {
			top = max(top, t.ID)
		}
	}
	return top + 1
}
