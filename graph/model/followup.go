package model

import "github.com/tanma-gql/gateway/internal/tanma"

// NewFollowUp maps an upstream follow-up record; its author is named from
// ref's directory.
func NewFollowUp(f tanma.FollowUp, ref Reference) *FollowUp {
	out := &FollowUp{
		FollowUpID: f.ID.String(),
		Kind:       FollowUpKindOther,
		TypeCode:   f.Type,
		Content:    nonEmpty(f.Content),
		CreatedAt:  dateTime(f.CreateTime, "followUp.createTime", ref),
	}
	switch f.Type {
	case 1:
		out.Kind = FollowUpKindNote
	case 2:
		out.Kind = FollowUpKindSystem
	}
	if op := f.Operator; op != nil {
		if op.QwUserID != "" {
			out.Author = NewStaff(op.QwUserID, ref)
		}
		if op.Name != "" {
			name := op.Name
			out.AuthorName = &name
		}
	}
	return out
}
