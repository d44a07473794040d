package model

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Customer is a customer with Tanma's loose fields mapped to typed values
// once, when the upstream page arrives. Fields that need reference data
// (owner name, tags, option labels, typed custom fields) are computed from
// the ids and raw fields kept here and the request's Reference, when
// selected (customerrefs.go).
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

	OwnerID    string        // the owner's qwUserId, resolved by Customer.owner
	TagIDs     []string      // qwTagIds, de-duplicated, resolved by Customer.tags
	Raw        []tanma.Field // the upstream fields array, typed by Customer.fields
	UpstreamID tanma.ID      // the customer id, for follow-ups

	ref Reference // the request's reference data
}

// IsNode marks Customer as a Node.
func (Customer) IsNode() {}

// GetID returns the global id.
func (c Customer) GetID() string { return c.ID }

// NewCustomer maps an upstream customer list item, typed and labelled
// with ref. Values that do not parse become null rather than failing the
// customer.
func NewCustomer(c tanma.Customer, ref Reference) *Customer {
	id := c.CustomerID.String()
	out := &Customer{
		ID:             relay.GlobalID(TypeCustomer, id),
		CustomerID:     id,
		Mobiles:        []string{},
		Type:           c.Type,
		CreatedAt:      dateTime(c.CreateTime, "createTime", ref),
		UpdatedAt:      dateTime(c.LastUpdateTime, "lastUpdateTime", ref),
		ConvertedAt:    dateTime(c.ConvertCustomerTime, "convertCustomerTime", ref),
		Remark:         nonEmpty(c.QwRemark),
		ExternalUserID: nonEmpty(c.ExternalUserID),
		Nickname:       nonEmpty(c.WechatNickname),
		AvatarURL:      nonEmpty(c.WechatAvatar),
		Location:       nonEmpty(c.WechatLocation),
		TagIDs:         dedupe(c.TagIDs),
		Raw:            c.Fields,
		UpstreamID:     c.CustomerID,
		ref:            ref,
	}
	if c.QwUserID != nil {
		out.OwnerID = *c.QwUserID
	}
	for _, f := range c.Fields {
		v := nonEmpty(f.ValueAsText)
		if v == nil {
			continue
		}
		switch f.Field {
		case tanma.KeyName:
			out.Name = v
		case tanma.KeyMobile:
			out.Mobiles, _ = tanma.ParsePhones(*v)
		case tanma.KeyGender:
			out.Gender = gender(*v)
		case tanma.KeyBirthday:
			if d, ok := tanma.ParseDate(*v); ok {
				out.Birthday = &Date{d}
			}
		case tanma.KeyAddress:
			out.Address = v
		case tanma.KeyCorpName:
			out.CorpName = v
		case tanma.KeyDescription:
			out.Description = v
		}
	}
	return out
}

// Owner is the sales rep who owns the relation, nil when the item names
// none. A plain method, not a resolver: no goroutine per customer.
func (c *Customer) Owner() *Staff {
	if c.OwnerID == "" {
		return nil
	}
	return NewStaff(c.OwnerID, c.ref)
}

// SystemValue returns the value of a system field (e.g. tanma.KeyStage).
func (c *Customer) SystemValue(key string) *string {
	for _, f := range c.Raw {
		if f.Field == key {
			return nonEmpty(f.ValueAsText)
		}
	}
	return nil
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

// dateTime reads one of Tanma's times; one that does not parse is null,
// and ref (when set) hears of it under the property's name.
func dateTime(p *string, property string, ref Reference) *time.Time {
	if nonEmpty(p) == nil {
		return nil
	}
	t, err := tanma.ParseTime(*p)
	if err != nil {
		if ref != nil {
			ref.ReportField(context.Background(), property, FieldValueProblemMalformed)
		}
		return nil
	}
	return &t
}

func gender(s string) *Gender {
	g, ok := map[string]Gender{"0": GenderUnknown, "1": GenderMale, "2": GenderFemale}[s]
	if !ok {
		return nil
	}
	return &g
}
