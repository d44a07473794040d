package graph

import (
	"context"
	"strings"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// staffLimits bound the staff connection.
var staffLimits = relay.Limits{Default: 20, Max: 100}

// directoryEntry finds a staff member in the request's directory snapshot.
func directoryEntry(ctx context.Context, qwUserID string) (tanma.User, bool, error) {
	dir, err := loaders.For(ctx).Staff(ctx)
	if err != nil {
		return tanma.User{}, false, err
	}
	u, ok := dir.ByQwUserID(qwUserID)
	if !ok && dir.LeftOut > 0 {
		return tanma.User{}, false, model.ErrStaffUnreadable
	}
	return u, ok, nil
}

// staffDepartments loads a staff member's departments (batched, cached).
// Only staff the directory lists are asked about: any other id (a former
// employee, or one made up by a client) has none, at no upstream cost.
func (r *Resolver) staffDepartments(ctx context.Context, s *model.Staff) ([]model.Department, error) {
	if _, listed, err := directoryEntry(ctx, s.QwUserID); err != nil || !listed {
		return []model.Department{}, err
	}
	depts, cached := r.Catalog.Departments.For(s.QwUserID).Cached(ctx)
	if !cached { // the loader's batch window is only worth waiting for a load
		var err error
		if depts, err = loaders.For(ctx).Departments.Load(ctx, s.QwUserID)(); err != nil {
			return nil, err
		}
	}
	out := make([]model.Department, len(depts))
	for i, d := range depts {
		out[i] = model.Department{DepartmentID: d.DepartmentID.String(), Name: d.DepartmentName}
	}
	return out, nil
}

// staffByID resolves a Staff global id: NOT_FOUND when the directory does
// not list the staff member.
func (r *Resolver) staffByID(ctx context.Context, id string) (*model.Staff, error) {
	qw, err := checkQwUserID(id)
	if err != nil {
		return nil, err
	}
	if err := checkStaff(ctx, qw); err != nil {
		return nil, err
	}
	// Staff who left stay refetchable: their ids are in records and follow-ups.
	if u, _, err := model.LookUpStaff(ctx, r, qw); err != nil || u.QwUserID == "" {
		if err == nil {
			err = apperr.NotFoundf("no staff member has this id")
		}
		return nil, err
	}
	return model.NewStaff(qw, r), nil
}

// staffConnection pages through the directory, optionally filtered by name.
func (r *Resolver) staffConnection(ctx context.Context, name *string, args relay.Args) (*model.StaffConnection, error) {
	dir, err := loaders.For(ctx).Staff(ctx)
	if err != nil {
		return nil, err
	}
	filter := ""
	if name != nil {
		filter = strings.TrimSpace(*name)
	}
	c := caller(ctx)
	users := make([]tanma.User, 0, len(dir.Users))
	for _, u := range dir.Users {
		if strings.Contains(u.Name, filter) && seesStaff(ctx, u.QwUserID) {
			users = append(users, u)
		}
	}
	key := func(u tanma.User) string { return u.QwUserID }
	page, err := relay.Paginate(ctx, r.Customers.Cursors(), args, staffLimits, "staff:"+c.ID+"\x00"+filter, key, relay.SliceFetch(users, 100), nil, nil)
	if err != nil {
		return nil, err
	}
	reportLeftOut(ctx, dir.LeftOut, "staff directory")
	conn := &model.StaffConnection{Edges: make([]model.StaffEdge, len(page.Edges)), PageInfo: pageInfo(page), TotalCount: len(users)}
	for i, e := range page.Edges {
		conn.Edges[i] = model.StaffEdge{Cursor: e.Cursor, Node: model.NewStaff(e.Node.QwUserID, r)}
	}
	return conn, nil
}
