package refdata

import (
	"context"
	"fmt"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Directory is the staff directory, indexed by both staff ids.
type Directory struct {
	Users []tanma.User // in upstream order
	// LeftOut counts the entries Tanma listed that are not in Users: null
	// or without a qwUserId (nothing to address them by; never a staff
	// member ""), or a qwUserId listed again.
	LeftOut    int
	byQwUserID map[string]int
	bySalesID  map[tanma.ID]int
}

// NewDirectory indexes users, leaving out those it cannot index.
func NewDirectory(users []tanma.User) *Directory {
	d := &Directory{Users: users[:0:0], byQwUserID: make(map[string]int, len(users)), bySalesID: make(map[tanma.ID]int, len(users))}
	for _, u := range users {
		if _, twice := d.byQwUserID[u.QwUserID]; u.QwUserID == "" || twice {
			d.LeftOut++
			continue
		}
		d.byQwUserID[u.QwUserID] = len(d.Users)
		if u.SalesID > 0 {
			if _, twice := d.bySalesID[u.SalesID]; !twice {
				d.bySalesID[u.SalesID] = len(d.Users)
			}
		}
		d.Users = append(d.Users, u)
	}
	return d
}

// ByQwUserID finds a staff member by WeChat Work user id.
func (d *Directory) ByQwUserID(id string) (tanma.User, bool) {
	i, ok := d.byQwUserID[id]
	if !ok {
		return tanma.User{}, false
	}
	return d.Users[i], true
}

// BySalesID finds a staff member by Tanma staff id.
func (d *Directory) BySalesID(id tanma.ID) (tanma.User, bool) {
	i, ok := d.bySalesID[id]
	if !ok {
		return tanma.User{}, false
	}
	return d.Users[i], true
}

// directoryPageSize is the page size the directory is read with.
const directoryPageSize = 100

// maxDirectoryPages bounds a directory read (10,000 staff).
const maxDirectoryPages = 100

// loadUsers reads every staff member in a deleted state (0: current
// staff, 1: staff who left), page by page, until a short page, an empty
// page or the stated total.
func loadUsers(ctx context.Context, c *tanma.Client, deleted int) ([]tanma.User, error) {
	var users []tanma.User
	for pageNo := 1; ; pageNo++ {
		if pageNo > maxDirectoryPages {
			return nil, fmt.Errorf("staff directory: more than %d pages", maxDirectoryPages)
		}
		page, err := c.GetUsers(ctx, tanma.UsersRequest{PageNo: pageNo, PageSize: directoryPageSize, Deleted: deleted})
		if err != nil {
			return nil, err
		}
		users = append(users, page.Result...)
		if len(page.Result) < directoryPageSize || (page.TotalCount != nil && len(users) >= *page.TotalCount) {
			return users, nil
		}
	}
}
