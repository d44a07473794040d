package model

import (
	"context"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Fields types every entry of the customer's fields array. Without the
// definitions the fields are still typed by their own type codes (with
// labels only for system fields), and an error at this path says why.
func (c *Customer) Fields(ctx context.Context) []CustomerField {
	set, err := c.ref.FieldSet(ctx)
	partial(ctx, err)
	return TypeFields(c.Raw, set, func(key string, p FieldValueProblem) { c.ref.ReportField(ctx, key, p) })
}

// Source is the system select field customer_source with its label.
func (c *Customer) Source(ctx context.Context) *SelectOption {
	return c.systemOption(ctx, tanma.KeySource)
}

// Stage is the system select field customer_stage with its label.
func (c *Customer) Stage(ctx context.Context) *SelectOption {
	return c.systemOption(ctx, tanma.KeyStage)
}

// PurchaseIntention is the system select field purchase_intention with its
// label.
func (c *Customer) PurchaseIntention(ctx context.Context) *SelectOption {
	return c.systemOption(ctx, tanma.KeyPurchaseIntention)
}

// systemOption is a system select field's option with the label from the
// field definitions. When they cannot be loaded the option keeps its id,
// its label is null, and an error at this path says why.
func (c *Customer) systemOption(ctx context.Context, key string) *SelectOption {
	id := c.SystemValue(key)
	if id == nil {
		return nil
	}
	set, err := c.ref.FieldSet(ctx)
	partial(ctx, err)
	def, _ := set.ByKey(key)
	opt, _ := Option(def, *id)
	return &opt
}

// Tags are the customer's tags (qwTagIds, already de-duplicated) from the
// tag library; an id missing from the library is skipped: the library is
// the truth for which tags exist. Without the library the list is empty and
// an error at this path says why.
func (c *Customer) Tags(ctx context.Context) []Tag {
	if len(c.TagIDs) == 0 {
		return []Tag{}
	}
	x, err := c.ref.TagIndex(ctx)
	if err != nil {
		partial(ctx, err)
		return []Tag{}
	}
	out := make([]Tag, 0, len(c.TagIDs))
	for _, id := range c.TagIDs {
		if t, ok := x.ByQwTagID(id); ok {
			out = append(out, *t)
		} else {
			c.ref.ReportField(ctx, "tagIds", FieldValueProblemUnknownOption) // not in the library
		}
	}
	return out
}
