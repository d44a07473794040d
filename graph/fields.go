package graph

import (
	"context"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/loaders"
)

// systemOption resolves a system select field (stage, source, purchase
// intention) to its option with the label from the field definitions. When
// the definitions cannot be loaded the option keeps its id, its label is
// null, and an error says why (see partial).
func (r *Resolver) systemOption(ctx context.Context, c *model.Customer, key string) (*model.SelectOption, error) {
	id := c.SystemValue(key)
	if id == nil {
		return nil, nil
	}
	set, err := loaders.For(ctx).Fields(ctx)
	partial(ctx, err)
	def, _ := set.ByKey(key)
	opt, _ := model.Option(def, *id)
	return &opt, nil
}

// customerFields types every entry of a customer's fields array. Without
// the definitions the fields are still typed by their own type codes (with
// labels only for system fields), and an error says why (see partial).
func (r *Resolver) customerFields(ctx context.Context, c *model.Customer) ([]model.CustomerField, error) {
	set, err := loaders.For(ctx).Fields(ctx)
	partial(ctx, err)
	return model.TypeFields(c.Raw, set, r.reportField(ctx)), nil
}

// reportField logs, once per field key and problem for the process, that a
// value could not be typed. The value itself is never logged.
func (r *Resolver) reportField(ctx context.Context) model.FieldReport {
	return func(key string, p model.FieldValueProblem) {
		if _, seen := r.reported.LoadOrStore(key+"\x00"+string(p), true); !seen {
			r.Log.DebugContext(ctx, "customer field value not typed", "field", key, "problem", string(p))
		}
	}
}

// fieldDefinitions lists the definitions for Query.customerFields.
func (r *Resolver) fieldDefinitions(ctx context.Context) ([]model.CustomerFieldDefinition, error) {
	set, err := loaders.For(ctx).Fields(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]model.CustomerFieldDefinition, len(set.Defs))
	for i, d := range set.Defs {
		out[i] = model.NewFieldDefinition(d)
	}
	return out, nil
}
