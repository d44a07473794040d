package tanma

import (
	"context"
	"encoding/json"
)

// TagGroup is a group of the corporate tag library.
type TagGroup struct {
	ID      ID     `json:"id"`      // Tanma's tag group id
	Name    string `json:"name"`    // group name
	QwTagID string `json:"qwTagId"` // WeChat Work group id
	Tags    []Tag  `json:"tags"`
	// LeftOut marks an entry Tanma listed that is no group (null, a
	// property of another JSON type): kept only to be counted.
	LeftOut bool `json:"leftOut,omitempty"`
}

// Tag is a corporate tag. Customer list items refer to tags by QwTagID.
type Tag struct {
	ID      ID     `json:"id"`      // Tanma's tag id (what search conditions take)
	Name    string `json:"name"`    // tag name
	QwTagID string `json:"qwTagId"` // WeChat Work tag id, `et...`
	// LeftOut marks an entry that is no tag (null, a property of another
	// JSON type, no id or qwTagId): kept only to be counted.
	LeftOut bool `json:"leftOut,omitempty"`
}

// PathTagTree lists the whole tag library.
const PathTagTree = "/api/v3/tags/list-tree"

// ListTagTree returns the whole tag library, groups with their tags, in one
// call: POST /api/v3/tags/list-tree (no body). A group or tag entry that is
// none (a group without its tags array too) is marked LeftOut, the others
// kept.
func (c *Client) ListTagTree(ctx context.Context) ([]TagGroup, error) {
	raws, err := read[[]json.RawMessage](ctx, c, PathTagTree, nil)
	if err == nil && raws == nil {
		return nil, Invalid(PathTagTree, "the answer has no array of tag groups")
	}
	if err != nil {
		return nil, err
	}
	groups := make([]TagGroup, 0, len(raws))
	for _, raw := range raws {
		var g struct {
			TagGroup
			Tags []json.RawMessage `json:"tags"`
		}
		if isNull(raw) || unmarshal(raw, &g) != nil || g.Tags == nil { // no tags array: nothing to show of it
			groups = append(groups, TagGroup{LeftOut: true})
			continue
		}
		g.TagGroup.Tags = eachOf(g.Tags, func(t Tag) bool { return t.ID > 0 && t.QwTagID != "" }, Tag{LeftOut: true})
		groups = append(groups, g.TagGroup)
	}
	return groups, nil
}
