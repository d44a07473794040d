package loaders

import (
	"context"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// FromSearch turns a search result into a customer, its values keyed by
// field id named by the request's field definitions
// (tanma.SearchItem.CustomerWith). Without the definitions those values
// cannot be named, and only the item's fields array is kept.
func (l *Loaders) FromSearch(ctx context.Context, it tanma.SearchItem) tanma.Customer {
	if len(it.ByFieldID) == 0 {
		return it.Customer
	}
	set, err := l.Fields(ctx)
	if err != nil {
		return it.Customer
	}
	return it.CustomerWith(set.Keys)
}
