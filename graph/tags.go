package graph

import (
	"context"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// tagGroups lists the library for Query.tagGroups.
func (r *Resolver) tagGroups(ctx context.Context) ([]model.TagGroup, error) {
	x, err := r.TagIndex(ctx)
	if err != nil {
		return nil, err
	}
	reportLeftOut(ctx, x.Library.LeftOut, "tag library")
	return x.Groups, nil
}

// tagByID resolves a Tag global id's upstream id.
func (r *Resolver) tagByID(ctx context.Context, id string) (*model.Tag, error) {
	tid, err := tanma.ParseID(id)
	if err != nil {
		return nil, apperr.BadInput("malformed tag id: Tanma tag ids are positive integers")
	}
	x, err := r.TagIndex(ctx)
	if err != nil {
		return nil, err
	}
	if t, ok := x.ByID(tid); ok {
		return t, nil
	}
	return nil, apperr.NotFoundf("no tag has this id")
}
