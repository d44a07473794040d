package refdata

import (
	"context"
	"log/slog"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Catalog is every cached reference value the gateway uses, built once in
// server.go and shared by all requests.
type Catalog struct {
	Fields      *Value[*FieldSet]                  // customer field definitions and options
	Tags        *Value[*TagLibrary]                // the tag library
	Staff       *Value[*Directory]                 // the staff directory
	Departments *Keyed[string, []tanma.Department] // departments by qwUserId
}

// NewCatalog returns an empty catalog over the upstream client.
func NewCatalog(c *tanma.Client, p Policy, log *slog.Logger) *Catalog {
	return &Catalog{
		Fields: NewValue("fields", func(ctx context.Context) (*FieldSet, error) {
			defs, err := c.ListFields(ctx)
			if err != nil {
				return nil, err
			}
			return NewFieldSet(defs), nil
		}, p, log),
		Tags: NewValue("tags", func(ctx context.Context) (*TagLibrary, error) {
			groups, err := c.ListTagTree(ctx)
			if err != nil {
				return nil, err
			}
			return NewTagLibrary(groups), nil
		}, p, log),
		Staff: NewValue("staff", func(ctx context.Context) (*Directory, error) { return loadDirectory(ctx, c) }, p, log),
		Departments: NewKeyed("departments", func(qwUserID string) Load[[]tanma.Department] {
			return func(ctx context.Context) ([]tanma.Department, error) {
				return c.UserDepartments(ctx, tanma.UserDepartmentsRequest{QwUserID: qwUserID})
			}
		}, p, log),
	}
}
