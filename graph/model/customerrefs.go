package model

import (
	"context"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Fields is every entry of the customer's fields array, typed when the
// customer was mapped. Without the definitions the fields are typed by
// their own type codes (with labels only for system fields), and an error
// at this path says why; so does an entry Tanma sent outside its shape
// (left out).
func (c *Customer) Fields(ctx context.Context) []CustomerField {
	_, err := c.ref.FieldSet(ctx)
	partial(ctx, err)
	c.flawed(ctx, "fields", "that entry is left out")
	return c.typed
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

// systemOption is a system select field's option, as its entry in fields
// shows it. When the definitions cannot be loaded the option keeps its id,
// its label is null, and an error at this path says why.
func (c *Customer) systemOption(ctx context.Context, key string) *SelectOption {
	opt, ok := c.options[key]
	if !ok {
		return nil
	}
	_, err := c.ref.FieldSet(ctx)
	partial(ctx, err)
	return &opt
}

// Tags are the customer's tags (qwTagIds, already de-duplicated) from the
// tag library. An id missing from the library is left out (the library is
// the truth for which tags exist) and an error at this path says so, as
// for ids Tanma sent in another type than text. Without the library the
// list is empty and an error at this path says why.
func (c *Customer) Tags(ctx context.Context) []Tag {
	c.flawed(ctx, "tagIds", "those tags are left out")
	if len(c.TagIDs) == 0 {
		return []Tag{}
	}
	x, err := c.ref.TagIndex(ctx)
	if err != nil {
		partial(ctx, err)
		return []Tag{}
	}
	out := make([]Tag, 0, len(c.TagIDs))
	unknown := 0
	for _, id := range c.TagIDs {
		if t, ok := x.ByQwTagID(id); ok {
			out = append(out, *t)
		} else {
			unknown++
			c.ref.ReportField(ctx, "tagIds", FieldValueProblemUnknownOption) // not in the library
		}
	}
	if unknown > 0 {
		partial(ctx, unknownTags(unknown))
	}
	return out
}

// unknownTags says n of a customer's tag ids are not in the tag library.
func unknownTags(n int) error {
	return apperr.LeftOut(n, "%d of this customer's tag ids are not in Tanma's tag library (as read in the last few minutes): left out", n)
}
