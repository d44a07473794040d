package model

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Customer is a customer with Tanma's loose fields typed once, when it is
// mapped: every entry of its fields array is typed by its type code and the
// field definitions, and the top-level system values (name, mobiles,
// gender, birthday, stage...) are read from those same typed fields, so
// the two always agree. Fields that need more reference data (owner, tags)
// are computed from the ids kept here when selected (customerrefs.go).
type Customer struct {
	ID             string
	CustomerID     string
	Name           *string
	Mobiles        []string
	Gender         *Gender
	Birthday       *Date
	Address        *string
	CorpName       *string
	Description    *string
	Type           *int
	CreatedAt      *time.Time
	UpdatedAt      *time.Time
	ConvertedAt    *time.Time
	Remark         *string
	ExternalUserID *string
	Nickname       *string
	AvatarURL      *string
	Location       *string

	OwnerID    string   // the owner's qwUserId, resolved by Customer.owner
	TagIDs     []string // qwTagIds, de-duplicated, resolved by Customer.tags
	UpstreamID tanma.ID // the customer id, for follow-ups
	// Problems are the values of the upstream record that were not in
	// Tanma's documented shape, by the GraphQL field that shows them: those
	// fields are null (or hold what could be read), and the GraphQL edge
	// shows each problem as an error at its field's path when selected.
	Problems []FieldProblem

	typed   []CustomerField         // every field, typed, in the definitions' order
	mobile  *PhoneCustomerField     // the mobile field Mobiles was read from, when of the PHONE kind
	options map[string]SelectOption // the system select fields' options, by key
	flaws   []tanma.Flaw            // the record's flaws, for the methods that show them
	ref     Reference               // the request's reference data
}

// FieldProblem is a value of a customer that is not shown as Tanma sent it.
type FieldProblem struct {
	Field string // the GraphQL field (createdAt, mobiles...)
	Err   error  // what the client is told, at that field's path
}

// IsNode marks Customer as a Node.
func (Customer) IsNode() {}

// GetID returns the global id.
func (c Customer) GetID() string { return c.ID }

// properties names the GraphQL field that shows each property of Tanma's
// list item (for its problems).
var properties = map[string]string{
	"customerId": "customerId", "qwUserId": "owner", "type": "type", "fields": "fields", "tagIds": "tags",
	"createTime": "createdAt", "lastUpdateTime": "updatedAt", "convertCustomerTime": "convertedAt",
	"wechatNickname": "nickname", "wechatAvatar": "avatarUrl", "wechatLocation": "location",
	"qwRemark": "remark", "externalUserId": "externalUserId",
}

// NewCustomer maps a customer as the customer store checked it, typed and
// labelled with set (the request's field definitions; nil when they could
// not be loaded) and ref. Values that do not parse are null rather than
// failing the customer, and Problems say so. Personal values are masked
// unless ctx's caller may see them whole (personal.go).
func NewCustomer(ctx context.Context, c tanma.Customer, set *refdata.FieldSet, ref Reference) *Customer {
	id := c.CustomerID.String()
	out := &Customer{
		ID:             relay.GlobalID(TypeCustomer, id),
		CustomerID:     id,
		Mobiles:        []string{},
		Type:           c.Type,
		Remark:         nonEmpty(c.QwRemark),
		ExternalUserID: nonEmpty(c.ExternalUserID),
		Nickname:       nonEmpty(c.WechatNickname),
		AvatarURL:      nonEmpty(c.WechatAvatar),
		Location:       nonEmpty(c.WechatLocation),
		TagIDs:         dedupe(c.TagIDs),
		UpstreamID:     c.CustomerID,
		flaws:          c.Flaws,
		ref:            ref,
	}
	if c.QwUserID != nil {
		out.OwnerID = *c.QwUserID
	}
	out.CreatedAt = out.time(ctx, c.CreateTime, "createTime")
	out.UpdatedAt = out.time(ctx, c.LastUpdateTime, "lastUpdateTime")
	out.ConvertedAt = out.time(ctx, c.ConvertCustomerTime, "convertCustomerTime")
	for _, f := range c.Flaws {
		if field := properties[f.Property]; field != "" && !slices.Contains([]string{"fields", "tags", "owner"}, field) {
			out.problem(field, "Tanma sent %s as another JSON type than its documentation gives: it is null here", f.Property)
		}
	}
	out.typed = TypeFields(c.Fields, set, func(key string, p FieldValueProblem) { ref.ReportField(ctx, key, p) })
	out.systemValues()
	if !SeesPersonal(ctx) {
		out.maskPersonal()
	}
	return out
}

// systemValues reads the top-level values from the typed system fields:
// the first entry of each key (the store keeps one), so a value shown at
// the top level and in fields is one value.
func (c *Customer) systemValues() {
	for _, f := range c.typed {
		field, system := systemFields[f.GetKey()]
		if !system {
			continue
		}
		if p := f.GetProblem(); p != nil && *p == FieldValueProblemWrongType {
			c.problem(field, "Tanma sent %s in another JSON type than its documentation gives: it is null here (fields holds its JSON text)", f.GetKey())
			continue
		}
		text := f.GetText()
		switch f.GetKey() {
		case tanma.KeyName:
			c.Name = text
		case tanma.KeyAddress:
			c.Address = text
		case tanma.KeyCorpName:
			c.CorpName = text
		case tanma.KeyDescription:
			c.Description = text
		case tanma.KeyMobile:
			c.mobiles(f)
		case tanma.KeyGender:
			c.gender(f)
		case tanma.KeyBirthday:
			c.birthday(f)
		case tanma.KeySource, tanma.KeyStage, tanma.KeyPurchaseIntention:
			if s, ok := f.(*SelectCustomerField); ok && s.Option != nil {
				if c.options == nil {
					c.options = map[string]SelectOption{}
				}
				c.options[f.GetKey()] = *s.Option
			}
		}
	}
}

// systemFields names the GraphQL field that shows each system field.
var systemFields = map[string]string{
	tanma.KeyName: "name", tanma.KeyMobile: "mobiles", tanma.KeyGender: "gender", tanma.KeyBirthday: "birthday",
	tanma.KeyAddress: "address", tanma.KeyCorpName: "corpName", tanma.KeyDescription: "description",
	tanma.KeySource: "source", tanma.KeyStage: "stage", tanma.KeyPurchaseIntention: "purchaseIntention",
}

// mobiles reads the phone numbers of the system field mobile: the numbers
// its PHONE value holds; any other kind of value is read as one, and a
// value that could not be read whole is a problem.
func (c *Customer) mobiles(f CustomerField) {
	if f.GetText() == nil {
		return
	}
	phones, ok := []string(nil), false
	if p, isPhone := f.(*PhoneCustomerField); isPhone {
		phones, ok = p.Phones, p.Problem == nil
		c.mobile = p
	} else {
		phones, ok = tanma.ParsePhones(*f.GetText())
		ok = ok && f.GetProblem() == nil
	}
	c.Mobiles = phones
	if !ok {
		c.problem("mobiles", "Tanma's mobile value is not a JSON array of phone numbers: only what could be read is shown (fields holds its text)")
	}
}

// genders maps the system field gender's option ids (Tanma documents "0"
// other, "1" male, "2" female).
var genders = map[string]Gender{"0": GenderOther, "1": GenderMale, "2": GenderFemale}

func (c *Customer) gender(f CustomerField) {
	text := f.GetText()
	if text == nil {
		return
	}
	if g, ok := genders[strings.TrimSpace(*text)]; ok && f.GetProblem() == nil {
		c.Gender = &g
		return
	}
	c.problem("gender", "Tanma's gender value is none of the documented options (0, 1, 2): it is null here")
}

func (c *Customer) birthday(f CustomerField) {
	if f.GetText() == nil {
		return
	}
	if d, ok := f.(*DateCustomerField); ok && d.Date != nil && d.Problem == nil {
		c.Birthday = d.Date
		return
	}
	c.problem("birthday", "Tanma's birthday value is not a date: it is null here (fields holds its text)")
}

// time reads one of Tanma's times; one that does not parse is null and a
// problem, and ref hears of it under the property's name.
func (c *Customer) time(ctx context.Context, p *string, property string) *time.Time {
	if nonEmpty(p) == nil {
		return nil
	}
	t, err := tanma.ParseTime(strings.TrimSpace(*p))
	if err != nil {
		c.ref.ReportField(ctx, property, FieldValueProblemMalformed)
		c.problem(properties[property], "Tanma's %s is not a time in its documented form (yyyy-MM-dd HH:mm:ss): it is null here", property)
		return nil
	}
	return &t
}

// problem records a value not shown as Tanma sent it.
func (c *Customer) problem(field, format string, args ...any) {
	c.Problems = append(c.Problems, FieldProblem{Field: field,
		Err: &apperr.Error{Code: apperr.UpstreamInvalid, Message: fmt.Sprintf(format, args...)}})
}

// flawed reports the record's flaws of one property as errors at the
// current field (a method's own path).
func (c *Customer) flawed(ctx context.Context, property, what string) {
	for _, f := range c.flaws {
		if f.Property == property {
			partial(ctx, &apperr.Error{Code: apperr.UpstreamInvalid,
				Message: fmt.Sprintf("Tanma sent %s outside its documented shape (%s): %s", property, strings.ToLower(strings.ReplaceAll(f.Problem, "_", " ")), what)})
		}
	}
}

// Owner is the sales rep who owns the relation, nil when the item names
// none. A plain method, not a resolver: no goroutine per customer.
func (c *Customer) Owner(ctx context.Context) *Staff {
	c.flawed(ctx, "qwUserId", "the owner is null here")
	if c.OwnerID == "" {
		return nil
	}
	return NewStaff(c.OwnerID, c.ref)
}

// dedupe drops repeated ids, keeping the first of each (list items may
// repeat a tag).
func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// nonEmpty treats null and blank text alike.
func nonEmpty(p *string) *string {
	if p == nil || strings.TrimSpace(*p) == "" {
		return nil
	}
	return p
}
