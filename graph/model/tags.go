package model

import (
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TagIndex is one load of the tag library as GraphQL models, built once per
// load and shared by every request that reads that load.
type TagIndex struct {
	Library   *refdata.TagLibrary // the load it was built from
	Groups    []TagGroup
	byQwTagID map[string]*Tag
	byID      map[tanma.ID]*Tag
}

// NewTagIndex builds the models of a tag library.
func NewTagIndex(lib *refdata.TagLibrary) *TagIndex {
	x := &TagIndex{Library: lib, Groups: make([]TagGroup, len(lib.Groups)),
		byQwTagID: map[string]*Tag{}, byID: map[tanma.ID]*Tag{}}
	for i, g := range lib.Groups {
		mg := &x.Groups[i]
		*mg = TagGroup{ID: relay.GlobalID(TypeTagGroup, g.ID.String()), GroupID: g.ID.String(), Name: g.Name,
			QwTagID: g.QwTagID, Tags: make([]Tag, len(g.Tags))}
		for j, t := range g.Tags {
			mg.Tags[j] = Tag{ID: relay.GlobalID(TypeTag, t.ID.String()), TagID: t.ID.String(),
				Name: t.Name, QwTagID: t.QwTagID, Group: mg}
			x.byQwTagID[t.QwTagID] = &mg.Tags[j]
			x.byID[t.ID] = &mg.Tags[j]
		}
	}
	return x
}

// ByQwTagID finds a tag by its WeChat Work id (what customers carry).
func (x *TagIndex) ByQwTagID(id string) (*Tag, bool) {
	t, ok := x.byQwTagID[id]
	return t, ok
}

// ByID finds a tag by Tanma's numeric id.
func (x *TagIndex) ByID(id tanma.ID) (*Tag, bool) {
	t, ok := x.byID[id]
	return t, ok
}
