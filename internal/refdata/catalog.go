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
	Former      *Value[*Directory]                 // staff who left (read only when a name is not in Staff)
	Departments *Keyed[string, []tanma.Department] // departments by qwUserId
}

// NewCatalog returns an empty catalog over the upstream client. With
// p.Shared, field definitions, the tag library and the staff directory are
// shared with the other replicas; departments stay per replica.
func NewCatalog(c *tanma.Client, p Policy, log *slog.Logger) *Catalog {
	return &Catalog{
		Fields: newShared("fields", c.ListFields, NewFieldSet, p, log),
		Tags:   newShared("tags", c.ListTagTree, NewTagLibrary, p, log),
		Staff: newShared("staff", func(ctx context.Context) ([]tanma.User, error) { return loadUsers(ctx, c, 0) },
			NewDirectory, p, log),
		Former: newShared("staff.former", func(ctx context.Context) ([]tanma.User, error) { return loadUsers(ctx, c, 1) },
			NewDirectory, p, log),
		Departments: NewKeyed("departments", func(qwUserID string) Load[[]tanma.Department] {
			return func(ctx context.Context) ([]tanma.Department, error) {
				return c.UserDepartments(ctx, tanma.UserDepartmentsRequest{QwUserID: qwUserID})
			}
		}, p, log),
	}
}
