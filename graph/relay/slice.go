package relay

import (
	"context"
	"strconv"
)

// SliceFetch pages an in-memory list for Paginate, pageSize items per page,
// with the page number as token. Lists the gateway holds whole (the staff
// directory) then page with the same cursors as upstream lists.
func SliceFetch[T any](items []T, pageSize int) Fetch[T] {
	return func(_ context.Context, token string, _ int) ([]T, string, error) {
		page := 0
		if token != "" {
			n, err := strconv.Atoi(token)
			if err != nil || n < 0 || n > len(items)/pageSize+1 {
				return nil, "", errBadToken
			}
			page = n
		}
		start := min(page*pageSize, len(items))
		end := min(start+pageSize, len(items))
		next := ""
		if end < len(items) {
			next = strconv.Itoa(page + 1)
		}
		return items[start:end], next, nil
	}
}
