//go:build tools

// Package tools pins the code generators this module runs with go generate:
// gqlgen (the server) and genqlient (the example Go client,
// examples/goclient).
package tools

import (
	_ "github.com/99designs/gqlgen"
	_ "github.com/Khan/genqlient"
)
