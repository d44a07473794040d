package graph_test

import (
	"encoding/base64"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type tagJSON struct {
	ID, TagID, Name, QwTagID string
	Group                    struct{ GroupID, Name string }
}

func TestTagGroupsAreTheLibrary(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		TagGroups []struct {
			ID, GroupID, Name, QwTagID string
			Tags                       []tagJSON
		}
	}
	e.mustDo(t, `{ tagGroups { id groupId name qwTagId tags { id tagId name qwTagId group { groupId name } } } }`, &r)
	lib := e.sb.Data().TagGroups
	require.Len(t, r.TagGroups, len(lib))
	for i, g := range lib {
		got := r.TagGroups[i]
		assert.Equal(t, g.ID.String(), got.GroupID)
		assert.Equal(t, base64.StdEncoding.EncodeToString([]byte("TagGroup:"+got.GroupID)), got.ID, "a global id")
		assert.Equal(t, g.Name, got.Name)
		require.Len(t, got.Tags, len(g.Tags))
		for j, tag := range g.Tags {
			assert.Equal(t, tag.ID.String(), got.Tags[j].TagID)
			assert.Equal(t, tag.QwTagID, got.Tags[j].QwTagID)
			assert.Equal(t, g.Name, got.Tags[j].Group.Name)
		}
	}
}

// TestCustomerTagsAreDeduplicated: the seed customer carries the same
// qwTagId twice; it has that one tag once.
func TestCustomerTagsAreDeduplicated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Customer struct{ Tags []tagJSON }
	}
	e.mustDo(t, `{ customer(id: "398604120668224") { tags { id tagId name qwTagId group { groupId name } } } }`, &r)
	require.Len(t, r.Customer.Tags, 1)
	tag := r.Customer.Tags[0]
	assert.Equal(t, "etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ", tag.QwTagID)
	assert.Equal(t, e.sb.Data().TagGroups[0].Tags[0].Name, tag.Name)

	// The tag's id round-trips through node.
	var n struct {
		Node struct {
			Typename string `json:"__typename"`
			tagJSON
		}
	}
	e.mustDo(t, `query($id: ID!) { node(id: $id) { __typename ... on Tag { id tagId name qwTagId group { groupId name } } } }`, &n, client.Var("id", tag.ID))
	assert.Equal(t, "Tag", n.Node.Typename)
	assert.Equal(t, tag, n.Node.tagJSON)
}

func TestCustomerTagsMatchTheSandbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Customers struct {
			Edges []struct {
				Node struct{ Tags []struct{ QwTagID string } }
			}
		}
	}
	e.mustDo(t, `{ customers(ownerId: "huangjie", first: 100) { edges { node { tags { qwTagId } } } } }`, &r)
	for i, c := range e.sb.Data().CustomersOf("huangjie")[:100] {
		var want []string
		for _, id := range c.TagIDs {
			if !contains(want, id) {
				want = append(want, id)
			}
		}
		var got []string
		for _, tag := range r.Customers.Edges[i].Node.Tags {
			got = append(got, tag.QwTagID)
		}
		assert.Equal(t, want, got)
	}
}

func TestUnknownTagIsNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	errs := e.do(t, `{ node(id: "VGFnOjE=") { id } }`, nil) // Tag:1
	require.Len(t, errs, 1)
	assert.Equal(t, []string{"NOT_FOUND"}, codes(errs))
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
