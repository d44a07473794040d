package tanma

import "context"

// TagGroup is a group of the corporate tag library.
type TagGroup struct {
	ID      ID     `json:"id"`      // Tanma's tag group id
	Name    string `json:"name"`    // group name
	QwTagID string `json:"qwTagId"` // WeChat Work group id
	Tags    []Tag  `json:"tags"`
}

// Tag is a corporate tag. Customer list items refer to tags by QwTagID.
type Tag struct {
	ID      ID     `json:"id"`      // Tanma's tag id (what search conditions take)
	Name    string `json:"name"`    // tag name
	QwTagID string `json:"qwTagId"` // WeChat Work tag id, `et...`
}

// PathTagTree lists the whole tag library.
const PathTagTree = "/api/v3/tags/list-tree"

// ListTagTree returns the whole tag library, groups with their tags, in one
// call: POST /api/v3/tags/list-tree (no body).
func (c *Client) ListTagTree(ctx context.Context) ([]TagGroup, error) {
	groups, err := read[[]TagGroup](ctx, c, PathTagTree, nil)
	if err == nil && groups == nil {
		return nil, Invalid(PathTagTree, "the answer has no array of tag groups")
	}
	return groups, err
}
