package refdata

import "github.com/tanma-gql/gateway/internal/tanma"

// TagLibrary is the corporate tag library, indexed by both tag ids.
type TagLibrary struct {
	Groups []*TagGroup
	// LeftOut counts the group and tag entries Tanma listed that are none
	// (tanma.TagGroup.LeftOut, tanma.Tag.LeftOut).
	LeftOut   int
	byQwTagID map[string]*Tag
	byID      map[tanma.ID]*Tag
}

// TagGroup is a group of the library with its tags.
type TagGroup struct {
	tanma.TagGroup
	Tags []*Tag
}

// Tag is a tag of the library and the group it belongs to.
type Tag struct {
	tanma.Tag
	Group *TagGroup
}

// NewTagLibrary indexes the library.
func NewTagLibrary(groups []tanma.TagGroup) *TagLibrary {
	l := &TagLibrary{byQwTagID: map[string]*Tag{}, byID: map[tanma.ID]*Tag{}}
	for _, g := range groups {
		if g.LeftOut {
			l.LeftOut++
			continue
		}
		tg := &TagGroup{TagGroup: g}
		for _, t := range g.Tags {
			if t.LeftOut {
				l.LeftOut++
				continue
			}
			tag := &Tag{Tag: t, Group: tg}
			tg.Tags = append(tg.Tags, tag)
			l.byQwTagID[t.QwTagID] = tag
			l.byID[t.ID] = tag
		}
		l.Groups = append(l.Groups, tg)
	}
	return l
}

// ByQwTagID finds a tag by its WeChat Work id (what customers carry).
func (l *TagLibrary) ByQwTagID(id string) (*Tag, bool) {
	t, ok := l.byQwTagID[id]
	return t, ok
}

// ByID finds a tag by its Tanma id.
func (l *TagLibrary) ByID(id tanma.ID) (*Tag, bool) {
	t, ok := l.byID[id]
	return t, ok
}
