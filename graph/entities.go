package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
)

// Query._entities: a router asks for the subgraph's entities by key
// (federation.graphqls), each group of one type in one call of its batch
// resolver (entity.resolvers.go). Each representation is resolved as node
// resolves its id: customers through the request's customer loader (every
// lookup starts before any is awaited, so a page of customers is one
// batch: a customer listed lately costs no call, any other one search, at
// most 8 at a time), staff from the request's directory and tags from its
// tag library (one snapshot each), all through the visibility gate. A
// representation that cannot be served is null with its error at
// _entities[i], the others are served. internal/executor refuses
// malformed representations and more than 100 of them before anything
// runs.
//
// A representation's key is read from the fields it carries, the key
// declared first winning, as gqlgen matches them: gqlgen's MatchedKey is
// not set with omit_slice_element_pointers (it sets it on a copy of each
// representation).

// entityResult is one representation's entity or error.
type entityResult[T any] func() (T, error)

// customerEntities resolves Customer representations, by id or customerId.
func (r *Resolver) customerEntities(ctx context.Context, reps []model.CustomerRepresentation) ([]*model.Customer, error) {
	at := entityPaths(ctx, model.TypeCustomer, len(reps))
	pending := make([]entityResult[*model.Customer], len(reps))
	for i, rep := range reps {
		switch {
		case rep.ID != nil:
			id, err := entityID(*rep.ID, model.TypeCustomer)
			if err != nil {
				pending[i] = failed[*model.Customer](err)
				continue
			}
			pending[i] = r.startCustomer(at[i], id)
		case rep.CustomerID != nil:
			pending[i] = r.startCustomer(at[i], *rep.CustomerID)
		default:
			pending[i] = failed[*model.Customer](errNoKey)
		}
	}
	return awaitEntities(pending)
}

// staffEntities resolves Staff representations, by id or qwUserId, as
// node resolves a Staff id: a staff member outside the caller's scope is
// FORBIDDEN, one the directory never listed NOT_FOUND.
func (r *Resolver) staffEntities(ctx context.Context, reps []model.StaffRepresentation) ([]*model.Staff, error) {
	pending := make([]entityResult[*model.Staff], len(reps))
	for i, rep := range reps {
		var qw string
		var err error = errNoKey
		switch {
		case rep.ID != nil:
			qw, err = entityID(*rep.ID, model.TypeStaff)
		case rep.QwUserID != nil:
			qw, err = *rep.QwUserID, nil
		}
		if err != nil {
			pending[i] = failed[*model.Staff](err)
			continue
		}
		pending[i] = func() (*model.Staff, error) { return r.staffByID(ctx, qw) }
	}
	return awaitEntities(pending)
}

// tagEntities resolves Tag representations by id, from the request's tag
// library.
func (r *Resolver) tagEntities(ctx context.Context, reps []model.TagRepresentation) ([]*model.Tag, error) {
	pending := make([]entityResult[*model.Tag], len(reps))
	for i, rep := range reps {
		if rep.ID == nil {
			pending[i] = failed[*model.Tag](errNoKey)
			continue
		}
		id, err := entityID(*rep.ID, model.TypeTag)
		if err != nil {
			pending[i] = failed[*model.Tag](err)
			continue
		}
		pending[i] = func() (*model.Tag, error) { return r.tagByID(ctx, id) }
	}
	return awaitEntities(pending)
}

// errNoKey: a representation without any of its type's keys, which gqlgen
// and internal/executor refuse before the resolvers run (a bug if seen).
var errNoKey = &apperr.Error{Code: apperr.Internal, Message: "internal error"}

// entityID reads the global id of an id key, which must name typ.
func entityID(gid, typ string) (string, error) {
	t, id, err := relay.ParseGlobalID(gid)
	if err != nil {
		return "", err
	}
	if t != typ {
		return "", apperr.BadInput("the id of a %s representation must be a %s id, got a %s id", typ, typ, t)
	}
	return id, nil
}

// failed is a lookup that cannot start.
func failed[T any](err error) entityResult[T] {
	return func() (T, error) {
		var zero T
		return zero, err
	}
}

// awaitEntities waits for every lookup, in order: the entities, and the
// errors by index for gqlgen to place at _entities[i] (nil when none
// failed).
func awaitEntities[T any](pending []entityResult[T]) ([]T, error) {
	out := make([]T, len(pending))
	errs := make(graphql.BatchErrorList, len(pending))
	failures := 0
	for i, wait := range pending {
		if out[i], errs[i] = wait(); errs[i] != nil {
			failures++
		}
	}
	if failures == 0 {
		return out, nil
	}
	return out, errs
}

// entityPaths are ctx at _entities[i] for each of the n representations of
// typ, in the order gqlgen groups them (the order of the representations
// argument), so the problems of a customer's values are reported at their
// whole path, as for nodes. When the argument cannot be read, every
// context is ctx (the problems are then placed at _entities).
func entityPaths(ctx context.Context, typ string, n int) []context.Context {
	at := make([]context.Context, n)
	for i := range at {
		at[i] = ctx
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return at
	}
	all, _ := fc.Args["representations"].([]map[string]any)
	var indexes []int
	for i, rep := range all {
		if name, _ := rep["__typename"].(string); name == typ {
			indexes = append(indexes, i)
		}
	}
	if len(indexes) != n {
		return at
	}
	for i, index := range indexes {
		at[i] = graphql.WithPathContext(ctx, graphql.NewPathWithIndex(index))
	}
	return at
}
