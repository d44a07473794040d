package graph

import (
	"context"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/loaders"
)

// fieldDefinitions lists the definitions for Query.customerFields.
func (r *Resolver) fieldDefinitions(ctx context.Context) ([]model.CustomerFieldDefinition, error) {
	set, err := loaders.For(ctx).Fields(ctx)
	if err != nil {
		return nil, err
	}
	reportLeftOut(ctx, set.LeftOut, "field definitions")
	out := make([]model.CustomerFieldDefinition, len(set.Defs))
	for i, d := range set.Defs {
		out[i] = model.NewFieldDefinition(d)
	}
	return out, nil
}
