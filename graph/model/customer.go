package model

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Customer is a customer with Tanma's loose fields mapped to typed values
// once, when the upstream page arrives; every field but owner is a plain read.
type Customer struct {
	ID                string
	CustomerID        string
	Name              *string
	Mobiles           []string
	Gender            *Gender
	Birthday          *Date
	Address           *string
	CorpName          *string
	Description       *string
	Source            *SelectOption
	Stage             *SelectOption
	PurchaseIntention *SelectOption
	Type              *int
	CreatedAt         *time.Time
	UpdatedAt         *time.Time
	ConvertedAt       *time.Time
	Remark            *string
	ExternalUserID    *string
	Nickname          *string
	AvatarURL         *string
	Location          *string

	OwnerID string // the owner's qwUserId, resolved by Customer.owner
}

// IsNode marks Customer as a Node.
func (Customer) IsNode() {}

// GetID returns the global id.
func (c Customer) GetID() string { return c.ID }

// NewCustomer maps an upstream customer list item. Values that do not parse
// become null rather than failing the customer.
func NewCustomer(c tanma.Customer) *Customer {
	id := c.CustomerID.String()
	out := &Customer{
		ID:             relay.GlobalID(TypeCustomer, id),
		CustomerID:     id,
		Mobiles:        []string{},
		Type:           c.Type,
		CreatedAt:      dateTime(c.CreateTime),
		UpdatedAt:      dateTime(c.LastUpdateTime),
		ConvertedAt:    dateTime(c.ConvertCustomerTime),
		Remark:         nonEmpty(c.QwRemark),
		ExternalUserID: nonEmpty(c.ExternalUserID),
		Nickname:       nonEmpty(c.WechatNickname),
		AvatarURL:      nonEmpty(c.WechatAvatar),
		Location:       nonEmpty(c.WechatLocation),
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
			out.Mobiles = phones(*v)
		case tanma.KeyGender:
			out.Gender = gender(*v)
		case tanma.KeyBirthday:
			if d, err := ParseDate(*v); err == nil {
				out.Birthday = &d
			}
		case tanma.KeyAddress:
			out.Address = v
		case tanma.KeyCorpName:
			out.CorpName = v
		case tanma.KeyDescription:
			out.Description = v
		case tanma.KeySource:
			out.Source = &SelectOption{ID: *v}
		case tanma.KeyStage:
			out.Stage = &SelectOption{ID: *v}
		case tanma.KeyPurchaseIntention:
			out.PurchaseIntention = &SelectOption{ID: *v}
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

func dateTime(p *string) *time.Time {
	if p == nil {
		return nil
	}
	t, err := tanma.ParseTime(*p)
	if err != nil {
		return nil
	}
	return &t
}

// phones decodes the JSON array of a phone field; a bare number is kept as one.
func phones(s string) []string {
	var list []string
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return []string{strings.TrimSpace(s)}
	}
	out := list[:0]
	for _, p := range list {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func gender(s string) *Gender {
	g, ok := map[string]Gender{"0": GenderUnknown, "1": GenderMale, "2": GenderFemale}[s]
	if !ok {
		return nil
	}
	return &g
}
