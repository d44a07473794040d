package model

import (
	"context"
	"strings"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// NewFollowUp maps an upstream follow-up record; its author is named from
// ref's directory, its content masked unless ctx's caller may see personal
// data whole.
func NewFollowUp(ctx context.Context, f tanma.FollowUp, ref Reference) *FollowUp {
	out := &FollowUp{
		FollowUpID: f.ID.String(),
		Kind:       FollowUpKindOther,
		TypeCode:   f.Type,
		Content:    nonEmpty(f.Content),
		CreatedAt:  dateTime(f.CreateTime, "followUp.createTime", ref),
	}
	if !SeesPersonal(ctx) {
		out.Content = maskText(out.Content)
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

// dateTime reads one of Tanma's times; one that does not parse is null,
// and ref hears of it under the property's name.
func dateTime(p *string, property string, ref Reference) *time.Time {
	if nonEmpty(p) == nil {
		return nil
	}
	t, err := tanma.ParseTime(strings.TrimSpace(*p))
	if err != nil {
		ref.ReportField(context.Background(), property, FieldValueProblemMalformed)
		return nil
	}
	return &t
}
