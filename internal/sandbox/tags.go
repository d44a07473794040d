package sandbox

import "github.com/tanma-gql/gateway/internal/tanma"

// tagGroupJSON is a tag group in list-tree's wire shape.
type tagGroupJSON struct {
	ID      tanma.ID  `json:"id"`
	Name    string    `json:"name"`
	QwTagID string    `json:"qwTagId"`
	Tags    []tagJSON `json:"tags"`
}

type tagJSON struct {
	ID      tanma.ID `json:"id"`
	Name    string   `json:"name"`
	QwTagID string   `json:"qwTagId"`
}

// listTagTree serves /api/v3/tags/list-tree: the whole library in one answer.
//
// Sandbox choice: the endpoint is documented without a body; the sandbox
// ignores whatever body comes (the signature covers it either way, "" when
// there is none).
func (s *Server) listTagTree([]byte) (any, error) {
	groups := make([]tagGroupJSON, 0, len(s.Data().TagGroups))
	for _, g := range s.Data().TagGroups {
		gj := tagGroupJSON{ID: g.ID, Name: g.Name, QwTagID: g.QwTagID, Tags: make([]tagJSON, 0, len(g.Tags))}
		for _, t := range g.Tags {
			gj.Tags = append(gj.Tags, tagJSON(t))
		}
		groups = append(groups, gj)
	}
	return groups, nil
}
