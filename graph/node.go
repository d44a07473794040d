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
	return r.startNode(ctx, gid)()
}

// nodes resolves each id on its own: a bad or missing id nulls its entry
// and adds an error at its index, the rest are served. Every lookup starts
// before any is awaited, so customers are fetched in one batch.
func (r *Resolver) nodes(ctx context.Context, gids []string) ([]model.Node, error) {
	if len(gids) > maxNodes {
		return nil, apperr.BadInput("nodes takes at most %d ids, got %d", maxNodes, len(gids))
	}
	pending := make([]func() (model.Node, error), len(gids))
	at := make([]context.Context, len(gids)) // each entry's path
	for i, gid := range gids {
		at[i] = graphql.WithPathContext(ctx, graphql.NewPathWithIndex(i))
		pending[i] = r.startNode(at[i], gid)
	}
	out := make([]model.Node, len(gids))
	for i, get := range pending {
		n, err := get()
		if err != nil {
			graphql.AddError(at[i], err)
			continue
		}
		out[i] = n
	}
	return out, nil
}

// startNode starts the lookup of one global id and returns the function
// that waits for it.
func (r *Resolver) startNode(ctx context.Context, gid string) func() (model.Node, error) {
	typ, id, err := relay.ParseGlobalID(gid)
	if err != nil {
		return func() (model.Node, error) { return nil, err }
	}
	switch typ {
	case model.TypeCustomer:
		wait := r.startCustomer(ctx, id)
		return func() (model.Node, error) { return asNode(wait()) }
	case model.TypeStaff:
		return func() (model.Node, error) { return asNode(r.staffByID(ctx, id)) }
	case model.TypeTag:
		return func() (model.Node, error) { return asNode(r.tagByID(ctx, id)) }
	}
	return func() (model.Node, error) { return nil, apperr.BadInput("the id names a type this API does not serve") }
}

// asNode keeps a failed lookup's typed nil out of the Node interface.
func asNode[T model.Node](n T, err error) (model.Node, error) {
	if err != nil {
		return nil, err
	}
	return n, nil
}
