package graph

import (
	"context"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// tagModels is one load of the tag library as GraphQL models, built once per
// load and shared by every request that sees that load.
type tagModels struct {
	lib       *refdata.TagLibrary
	groups    []model.TagGroup
	byQwTagID map[string]*model.Tag
	byID      map[tanma.ID]*model.Tag
}

func newTagModels(lib *refdata.TagLibrary) *tagModels {
	m := &tagModels{lib: lib, groups: make([]model.TagGroup, len(lib.Groups)),
		byQwTagID: map[string]*model.Tag{}, byID: map[tanma.ID]*model.Tag{}}
	for i, g := range lib.Groups {
		mg := &m.groups[i]
		*mg = model.TagGroup{ID: relay.GlobalID(model.TypeTagGroup, g.ID.String()), GroupID: g.ID.String(), Name: g.Name, QwTagID: g.QwTagID, Tags: make([]model.Tag, len(g.Tags))}
		for j, t := range g.Tags {
			mg.Tags[j] = model.Tag{ID: relay.GlobalID(model.TypeTag, t.ID.String()), TagID: t.ID.String(),
				Name: t.Name, QwTagID: t.QwTagID, Group: mg}
			m.byQwTagID[t.QwTagID] = &mg.Tags[j]
			m.byID[t.ID] = &mg.Tags[j]
		}
	}
	return m
}

// tagModelsOf returns the models of the request's tag library snapshot.
func (r *Resolver) tagModelsOf(ctx context.Context) (*tagModels, error) {
	lib, err := loaders.For(ctx).Tags(ctx)
	if err != nil {
		return nil, err
	}
	if m := r.tags.Load(); m != nil && m.lib == lib {
		return m, nil
	}
	m := newTagModels(lib)
	r.tags.Store(m)
	return m, nil
}

// customerTags resolves a customer's qwTagIds (already de-duplicated) to
// tags; an id missing from the library is skipped: the library is the truth
// for which tags exist. Without the library the list is empty and an error
// says why (see partial).
func (r *Resolver) customerTags(ctx context.Context, c *model.Customer) ([]model.Tag, error) {
	if len(c.TagIDs) == 0 {
		return []model.Tag{}, nil
	}
	m, err := r.tagModelsOf(ctx)
	if err != nil {
		partial(ctx, err)
		return []model.Tag{}, nil
	}
	out := make([]model.Tag, 0, len(c.TagIDs))
	for _, id := range c.TagIDs {
		if t, ok := m.byQwTagID[id]; ok {
			out = append(out, *t)
		}
	}
	return out, nil
}

// tagGroups lists the library for Query.tagGroups.
func (r *Resolver) tagGroups(ctx context.Context) ([]model.TagGroup, error) {
	m, err := r.tagModelsOf(ctx)
	if err != nil {
		return nil, err
	}
	return m.groups, nil
}

// tagByID resolves a Tag global id's upstream id.
func (r *Resolver) tagByID(ctx context.Context, id string) (*model.Tag, error) {
	tid, err := tanma.ParseID(id)
	if err != nil {
		return nil, apperr.BadInput("malformed tag id: Tanma tag ids are positive integers")
	}
	m, err := r.tagModelsOf(ctx)
	if err != nil {
		return nil, err
	}
	if t, ok := m.byID[tid]; ok {
		return t, nil
	}
	return nil, apperr.NotFoundf("no tag has this id")
}
