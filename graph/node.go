package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
)

// maxNodes bounds Query.nodes.
const maxNodes = 100

// node resolves one global id.
func (r *Resolver) node(ctx context.Context, gid string) (model.Node, error) {
	typ, id, err := relay.ParseGlobalID(gid)
	if err != nil {
		return nil, err
	}
	switch typ {
	case model.TypeStaff:
		return staffByID(ctx, id)
	case model.TypeCustomer:
		return customerByID(ctx, id)
	case model.TypeTag:
		return r.tagByID(ctx, id)
	}
	return nil, apperr.BadInput("unknown type %q in id", typ)
}

// nodes resolves each id on its own: a bad or missing id nulls its entry
// and adds an error at its index, the rest are served.
func (r *Resolver) nodes(ctx context.Context, gids []string) ([]model.Node, error) {
	if len(gids) > maxNodes {
		return nil, apperr.BadInput("nodes takes at most %d ids, got %d", maxNodes, len(gids))
	}
	out := make([]model.Node, len(gids))
	for i, gid := range gids {
		n, err := r.node(ctx, gid)
		if err != nil {
			graphql.AddError(graphql.WithPathContext(ctx, graphql.NewPathWithIndex(i)), err)
			continue
		}
		out[i] = n
	}
	return out, nil
}
