package tanma

import "context"

// FollowUp is one follow-up record of a customer: a note a rep wrote, or a
// log line the system wrote (for example a field change).
type FollowUp struct {
	ID         ID        `json:"id"`
	Type       int       `json:"type"` // undocumented codes; 1 reads as a note, 2 as a system log
	Content    *string   `json:"content"`
	CreateTime *string   `json:"createTime"`
	Operator   *Operator `json:"operator"`
}

// Operator is who wrote a follow-up; QwUserID is empty for API writes.
type Operator struct {
	QwUserID string `json:"qwUserId"`
	Name     string `json:"name"`
}

// FollowUpsRequest is the body of list-follow-up.
type FollowUpsRequest struct {
	CustomerID ID     `json:"customerId"`
	Size       int    `json:"size"`
	Type       int    `json:"type,omitempty"`
	Cursor     string `json:"cursor,omitempty"`
}

// FollowUpPage is one page of follow-ups, newest first.
type FollowUpPage struct {
	List       []FollowUp `json:"list"`
	NextCursor string     `json:"nextCursor"`
}

// PathListFollowUps lists a customer's follow-ups.
const PathListFollowUps = "/api/v3/clue/list-follow-up"

// ListFollowUps returns one page of a customer's follow-ups:
// POST /api/v3/clue/list-follow-up. There is no multi-customer variant.
func (c *Client) ListFollowUps(ctx context.Context, req FollowUpsRequest) (FollowUpPage, error) {
	return read[FollowUpPage](ctx, c, PathListFollowUps, req)
}
