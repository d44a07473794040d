package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// The writes: add-clue, customer/update-by-id and customer/transfer. Each
// validates the whole request first and changes nothing when any part is
// wrong; then it copies the dataset, changes the copy and swaps it in, so a
// read in flight keeps the snapshot it started with and every later read
// (lists, search, by id) sees the change. update-by-id and transfer then
// push customer_contact_edit for each customer they changed, add-clue
// pushes nothing (see contactEdit in push.go).
//
// Sandbox choices: Tanma documents none of these validation messages but the
// duplicate phone (40417, 请求参数验证失败：电话号码重复); the others use code 400
// with the documented prefix. Fields are named by their label (`alias`), as
// in the calls seen in use. add-clue takes select values as option ids
// (JSON number or string); update-by-id takes them as option labels.

// duplicatePhone is upstream's answer to a phone number another customer has.
var duplicatePhone = &answer{status: http.StatusOK, code: tanma.CodeDuplicatePhone, message: tanma.ValidationPrefix + "电话号码重复"}

// addClue serves /api/v3/add-clue: a new customer without an owner; the
// answer's data is its id.
func (s *Server) addClue(body []byte) (any, error) {
	var req struct {
		CustomerName *string  `json:"customerName"`
		Mobiles      []string `json:"mobiles"`
		Fields       []struct {
			Alias      *string         `json:"alias"`
			FieldValue json.RawMessage `json:"fieldValue"`
		} `json:"fields"`
	}
	if a := decodeBody(body, &req); a != nil {
		return nil, a
	}
	if req.CustomerName == nil || strings.TrimSpace(*req.CustomerName) == "" {
		return nil, validation("客户名称不能为空")
	}
	mobiles, a := phoneList(req.Mobiles)
	if a != nil {
		return nil, a
	}
	var id tanma.ID
	_, err := s.write(func(d *Dataset) ([]event, *answer) {
		values := map[string]*string{tanma.KeyName: req.CustomerName}
		if len(mobiles) > 0 {
			values[tanma.KeyMobile] = jsonText(mobiles)
		}
		for _, f := range req.Fields {
			def, a := d.fieldByAlias(f.Alias)
			if a != nil {
				return nil, a
			}
			v, a := clueValue(def, f.FieldValue)
			if a != nil {
				return nil, a
			}
			values[def.Key] = v
		}
		if a := d.checkPhones(values, 0); a != nil {
			return nil, a
		}
		now := s.now().In(tanma.Shanghai).Format(tanma.DateTimeLayout)
		id = d.nextID()
		c := tanma.Customer{CustomerID: id, Type: new(1), TagIDs: []string{}, CreateTime: &now, LastUpdateTime: &now}
		for _, def := range d.Fields {
			c.Fields = append(c.Fields, tanma.Field{Field: def.Key, Type: def.Type, ValueAsText: values[def.Key]})
		}
		d.Customers = append(d.Customers, c)
		return nil, nil // no push: see contactEdit
	})
	if err != nil {
		return nil, err
	}
	return id, nil
}

// updateCustomer serves /api/v3/customer/update-by-id: each named field
// takes the values given (none clears it); the answer's data is null. It
// pushes customer_contact_edit for the customer.
func (s *Server) updateCustomer(body []byte) (any, error) {
	var req struct {
		CustomerID *tanma.ID `json:"customerId"`
		Fields     []struct {
			Alias  *string  `json:"alias"`
			Values []string `json:"values"`
		} `json:"fields"`
	}
	if a := decodeBody(body, &req); a != nil {
		return nil, a
	}
	if req.CustomerID == nil {
		return nil, validation("customerId不能为空")
	}
	if len(req.Fields) == 0 {
		return nil, validation("fields不能为空")
	}
	_, err := s.write(func(d *Dataset) ([]event, *answer) {
		i, ok := d.byID[*req.CustomerID]
		if !ok {
			return nil, validation("客户不存在")
		}
		values := map[string]*string{}
		for _, f := range req.Fields {
			def, a := d.fieldByAlias(f.Alias)
			if a != nil {
				return nil, a
			}
			v, a := updateValue(def, f.Values)
			if a != nil {
				return nil, a
			}
			values[def.Key] = v
		}
		if a := d.checkPhones(values, *req.CustomerID); a != nil {
			return nil, a
		}
		c := &d.Customers[i]
		c.Fields = slices.Clone(c.Fields) // the previous snapshot keeps its own
		for _, def := range d.Fields {
			v, ok := values[def.Key]
			if !ok {
				continue
			}
			// A field the customer's array does not carry yet (the seed
			// page's customers carry system fields only) is added at the end.
			j := slices.IndexFunc(c.Fields, func(f tanma.Field) bool { return f.Field == def.Key })
			if j < 0 {
				c.Fields = append(c.Fields, tanma.Field{Field: def.Key, Type: def.Type})
				j = len(c.Fields) - 1
			}
			c.Fields[j].ValueAsText = v
		}
		c.LastUpdateTime = str(s.now().In(tanma.Shanghai).Format(tanma.DateTimeLayout))
		return []event{contactEdit(c.CustomerID)}, nil
	})
	return nil, err
}

// transfer serves /api/v3/customer/transfer: every listed relation (the
// customer's externalId with its current owner) passes to
// handoverToUserid, or none does; the answer's data is null. It pushes
// customer_contact_edit for each customer transferred.
//
// Sandbox choice: the relation keeps its createTime (its place in lists);
// lastUpdateTime becomes now. customerName is not checked.
func (s *Server) transfer(body []byte) (any, error) {
	var req struct {
		Customers []struct {
			CustomerName *string `json:"customerName"`
			ExternalID   *string `json:"externalId"`
			QwUserID     *string `json:"qwUserId"`
		} `json:"customers"`
		HandoverToUserid *string `json:"handoverToUserid"`
	}
	if a := decodeBody(body, &req); a != nil {
		return nil, a
	}
	if deref(req.HandoverToUserid) == "" {
		return nil, validation("handoverToUserid不能为空")
	}
	if len(req.Customers) == 0 {
		return nil, validation("customers不能为空")
	}
	_, err := s.write(func(d *Dataset) ([]event, *answer) {
		to := *req.HandoverToUserid
		if _, ok := d.staffBy(func(st Staff) bool { return st.QwUserID == to }); !ok {
			return nil, validation("转移后目标销售不存在")
		}
		idx := make([]int, 0, len(req.Customers))
		for _, rc := range req.Customers {
			i := slices.IndexFunc(d.Customers, func(c tanma.Customer) bool {
				return deref(rc.ExternalID) != "" && deref(c.ExternalUserID) == deref(rc.ExternalID) && deref(c.QwUserID) == deref(rc.QwUserID)
			})
			if i < 0 {
				return nil, validation("客户不存在或跟进人不匹配")
			}
			idx = append(idx, i)
		}
		now := s.now().In(tanma.Shanghai).Format(tanma.DateTimeLayout)
		events := make([]event, 0, len(idx))
		for _, i := range idx {
			d.Customers[i].QwUserID = str(to)
			d.Customers[i].LastUpdateTime = str(now)
			events = append(events, contactEdit(d.Customers[i].CustomerID))
		}
		return events, nil
	})
	return nil, err
}

// write applies change to a copy of the dataset and swaps the copy in when
// change succeeds, then queues the pushes of the events change returns and
// returns their msgIds (see push.go). Writes run one at a time, so msgIds
// follow the order of the changes.
func (s *Server) write(change func(d *Dataset) ([]event, *answer)) ([]string, error) {
	s.init()
	s.wmu.Lock()
	defer s.wmu.Unlock()
	cur := s.data.Load()
	next := *cur
	next.Customers = slices.Clone(cur.Customers)
	events, a := change(&next)
	if a != nil {
		return nil, a
	}
	next.index()
	s.data.Store(&next)
	return s.emit(events), nil
}

// nextID is an id above every customer's but BigID (which stays the only
// one past 2^53).
func (d *Dataset) nextID() tanma.ID {
	var top tanma.ID
	for _, c := range d.Customers {
		if c.CustomerID != BigID {
			top = max(top, c.CustomerID)
		}
	}
	return top + 1_000_003
}

// fieldByAlias finds a field definition by its label.
func (d *Dataset) fieldByAlias(alias *string) (FieldDef, *answer) {
	if alias == nil || *alias == "" {
		return FieldDef{}, validation("alias不能为空")
	}
	for _, f := range d.Fields {
		if f.Name == *alias {
			return f, nil
		}
	}
	return FieldDef{}, validation("字段不存在")
}

// checkPhones answers 40417 when the mobile value about to be written
// holds a number another customer (not self) has.
func (d *Dataset) checkPhones(values map[string]*string, self tanma.ID) *answer {
	v, ok := values[tanma.KeyMobile]
	if !ok || v == nil {
		return nil
	}
	var mine []string
	_ = json.Unmarshal([]byte(*v), &mine)
	for _, c := range d.Customers {
		if c.CustomerID == self {
			continue
		}
		for _, m := range d.phonesOf(c) {
			if slices.Contains(mine, m) {
				return duplicatePhone
			}
		}
	}
	return nil
}

// phonesOf returns a customer's mobile numbers.
func (d *Dataset) phonesOf(c tanma.Customer) []string {
	for _, f := range c.Fields {
		if f.Field == tanma.KeyMobile && f.ValueAsText != nil {
			var ms []string
			if json.Unmarshal([]byte(*f.ValueAsText), &ms) == nil {
				return ms
			}
			return []string{*f.ValueAsText}
		}
	}
	return nil
}
