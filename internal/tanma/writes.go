package tanma

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Write endpoints. Tanma's doc pages found describe only the transfer; the
// other two shapes are those of a public client library that calls them in
// production (see tanma-api.md, "Writes seen"). Fields are named by their
// label (`alias`, e.g. "描述"), not by their key.
const (
	// PathAddClue creates a clue (a customer without an owner yet).
	PathAddClue = "/api/v3/add-clue"
	// PathUpdateCustomer sets fields of a customer.
	PathUpdateCustomer = "/api/v3/customer/update-by-id"
	// PathTransferCustomers hands customers over to another staff member
	// (Tanma's page api-11379684, 变更跟进人, marked deprecated but the only
	// documented owner change).
	PathTransferCustomers = "/api/v3/customer/transfer"
	// PathTransferCustomersAlt is the transfer path an earlier survey of
	// Tanma's API recorded ("customer-transfer"); it is tried only when the
	// documented path answers HTTP 404.
	PathTransferCustomersAlt = "/api/v3/customer-transfer"
)

// AddClueRequest is the body of add-clue. A field value is a JSON string,
// number or array, as the field's kind asks (see ClueField).
type AddClueRequest struct {
	CustomerName string      `json:"customerName"`
	Mobiles      []string    `json:"mobiles"`
	Fields       []ClueField `json:"fields"`
}

// ClueField is one field of a new clue: its label and its value. Seen in
// use: text as a string, numbers and select option ids as JSON numbers
// ("性别": 0), date-times as "yyyy-MM-dd HH:mm:ss".
type ClueField struct {
	Alias      string `json:"alias"`
	FieldValue any    `json:"fieldValue"`
}

// AddClue creates a clue and returns its customer id: POST /api/v3/add-clue.
// A phone number another customer has fails with ErrDuplicatePhone (40417).
// Never retried: see Client.DoWrite.
func (c *Client) AddClue(ctx context.Context, req AddClueRequest) (ID, error) {
	var id ID
	if err := c.DoWrite(ctx, PathAddClue, req, &id); err != nil {
		return 0, err
	}
	if id <= 0 {
		// Success without an id: the clue exists, but which one is unknown.
		return 0, markUnknown(&APIError{Endpoint: PathAddClue, HTTPStatus: http.StatusOK,
			Err: fmt.Errorf("%w: data: no customer id", ErrBadResponse)})
	}
	return id, nil
}

// UpdateCustomerRequest is the body of customer/update-by-id.
type UpdateCustomerRequest struct {
	CustomerID ID            `json:"customerId"`
	Fields     []UpdateField `json:"fields"`
}

// UpdateField sets one field: its label and its values as text, one entry
// per value (several for multi selects and phones, none to clear it).
// Seen in use: select values by option label ("渠道来源": ["小鹅通"]),
// date-times as "yyyy-MM-dd HH:mm:ss".
type UpdateField struct {
	Alias  string   `json:"alias"`
	Values []string `json:"values"`
}

// UpdateCustomer sets fields of one customer: POST
// /api/v3/customer/update-by-id. Never retried: see Client.DoWrite.
func (c *Client) UpdateCustomer(ctx context.Context, req UpdateCustomerRequest) error {
	return c.DoWrite(ctx, PathUpdateCustomer, req, nil)
}

// TransferRequest is the body of customer/transfer, field for field as
// Tanma's page shows it.
type TransferRequest struct {
	Customers  []TransferCustomer `json:"customers"`
	ToQwUserID string             `json:"handoverToUserid"` // the new owner (Tanma names it handoverToUserid)
}

// TransferCustomer names one relation to hand over: the customer's WeChat
// external user id and its current owner.
type TransferCustomer struct {
	CustomerName string `json:"customerName"`
	ExternalID   string `json:"externalId"`
	QwUserID     string `json:"qwUserId"`
}

// TransferCustomers hands the customers over to the staff member
// ToQwUserID in one call: POST /api/v3/customer/transfer. The answer
// carries only a code, so the batch succeeds or fails as a whole. Never
// retried: see Client.DoWrite. An HTTP 404 (no such path: nothing was
// done) is the one answer after which the same write goes to
// PathTransferCustomersAlt.
func (c *Client) TransferCustomers(ctx context.Context, req TransferRequest) error {
	err := c.DoWrite(ctx, PathTransferCustomers, req, nil)
	var e *APIError
	if errors.As(err, &e) && e.HTTPStatus == http.StatusNotFound {
		return c.DoWrite(ctx, PathTransferCustomersAlt, req, nil)
	}
	return err
}

// ValidPhone reports whether s is a phone number as the gateway writes
// them: digits, an optional leading +, and - or spaces between digits; 3 to
// 20 digits. Tanma documents no rule; this one takes every number its
// examples show (a mobile "18910515284", a short "110110") and refuses text.
func ValidPhone(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' && i == 0:
		case (c == '-' || c == ' ') && i > 0 && i < len(s)-1:
		default:
			return false
		}
	}
	return digits >= 3 && digits <= 20
}
