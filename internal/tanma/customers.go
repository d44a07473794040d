package tanma

import (
	"context"
	"time"
)

// MaxPageSize is the largest page the customer list endpoints serve. Tanma
// does not document a maximum; 100 works in practice and is treated as the cap.
const MaxPageSize = 100

// Customer is one item of a customer list page, as the upstream sends it.
// Every property but the id may be null.
type Customer struct {
	CustomerID          ID       `json:"customerId"`
	QwUserID            *string  `json:"qwUserId"`
	Type                *int     `json:"type"`
	Fields              []Field  `json:"fields"`
	TagIDs              []string `json:"tagIds"`
	CreateTime          *string  `json:"createTime"`
	LastUpdateTime      *string  `json:"lastUpdateTime"`
	WechatNickname      *string  `json:"wechatNickname"`
	WechatAvatar        *string  `json:"wechatAvatar"`
	WechatLocation      *string  `json:"wechatLocation"`
	ConvertCustomerTime *string  `json:"convertCustomerTime"`
	QwRemark            *string  `json:"qwRemark"`
	ExternalUserID      *string  `json:"externalUserId"`
	// Flaws are the properties that were not of their documented type
	// (set only by the lenient decoding, see lenient.go): they are null
	// or left out here.
	Flaws []Flaw `json:"-"`
}

// Value is the text of the customer's first field with the given key, nil
// when it has none.
func (c *Customer) Value(key string) *string {
	for _, f := range c.Fields {
		if f.Field == key {
			return f.ValueAsText
		}
	}
	return nil
}

// Field is one entry of a customer's loosely typed fields array: the field
// key, its type code (see the Field* constants) and its value as text.
type Field struct {
	Field       string  `json:"field"`
	Type        int     `json:"type"`
	ValueAsText *string `json:"valueAsText"`
	// Flaw (set only by the lenient decoding) says the entry was not in
	// its documented shape: a value that is not text (ValueAsText holds its
	// JSON text) or a type code sent as text.
	Flaw string `json:"-"`
}

// CustomerPage is one page of a cursor-paged customer list. NextCursor is
// empty at the end; a full last page may still carry one, followed by an
// empty page.
type CustomerPage struct {
	List       []Customer `json:"list"`
	NextCursor string     `json:"nextCursor"`
}

// ListByQwUserIDRequest is the body of list-by-qw-user-id.
type ListByQwUserIDRequest struct {
	QwUserID string `json:"qwUserId"`
	Cursor   string `json:"cursor,omitempty"`
	Size     int    `json:"size"`
	Type     int    `json:"type,omitempty"`
}

// PathListByQwUserID lists a staff member's customers.
const PathListByQwUserID = "/api/v3/customer-relation/list-by-qw-user-id"

// ListCustomersByQwUserID lists the customers of one staff member, a page at
// a time: POST /api/v3/customer-relation/list-by-qw-user-id. Upstream marks it
// deprecated but documents it and it remains the only owner-scoped list.
func (c *Client) ListCustomersByQwUserID(ctx context.Context, req ListByQwUserIDRequest) (CustomerPage, error) {
	return read[CustomerPage](ctx, c, PathListByQwUserID, req)
}

// Shanghai is the upstream's time zone (China has had no DST since 1991, so a
// fixed offset is exact and needs no tzdata on the host).
var Shanghai = time.FixedZone("Asia/Shanghai", 8*60*60)

// Upstream time layouts.
const (
	DateTimeLayout = "2006-01-02 15:04:05"
	DateLayout     = "2006-01-02"
)

// ParseTime parses an upstream "yyyy-MM-dd HH:mm:ss" time in Asia/Shanghai.
func ParseTime(s string) (time.Time, error) {
	return time.ParseInLocation(DateTimeLayout, s, Shanghai)
}

// ListByRelationCreateTimeRequest is the body of
// list-by-relation-create-time-asc. Since is inclusive, Before exclusive,
// both "yyyy-MM-dd HH:mm:ss" China time; an empty QwUserID means every owner.
type ListByRelationCreateTimeRequest struct {
	Since    string `json:"since"`
	Before   string `json:"before"`
	QwUserID string `json:"qwUserId,omitempty"`
	Cursor   string `json:"cursor,omitempty"`
	Size     int    `json:"size"`
	Type     int    `json:"type,omitempty"`
}

// PathListByRelationCreateTime lists customers by relation creation time.
const PathListByRelationCreateTime = "/api/v3/customer-relation/list-by-relation-create-time-asc"

// ListCustomersByRelationCreateTime lists customers whose relation with
// their owner was created in [Since, Before), oldest first, a page at a time:
// POST /api/v3/customer-relation/list-by-relation-create-time-asc (marked
// "to be deprecated" upstream, still documented).
func (c *Client) ListCustomersByRelationCreateTime(ctx context.Context, req ListByRelationCreateTimeRequest) (CustomerPage, error) {
	return read[CustomerPage](ctx, c, PathListByRelationCreateTime, req)
}
