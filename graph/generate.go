// Package graph is the GraphQL schema of the gateway and its resolvers: the
// schema (*.graphqls, one domain per file), gqlgen's generated executable
// schema (generated.go, shaped by internal/execgen: see gqlgen.yml for which
// fields are resolvers), the cost model (complexity.go), thin resolvers,
// input checks and the one visibility gate (visibility.go). Resolvers hold
// no upstream client: customers and their follow-ups come from the customer
// store (internal/customers), reference data from the request's loaders
// (internal/loaders), and every list is paged by the one Relay paginator in
// graph/relay. After the committed SDL is written, the example Go client's
// types are generated again from it (`go generate ./...` runs that package
// before this one). internal/executor runs the schema over HTTP (NewSchema), as
// a Federation 2 subgraph unless FEDERATION=off (subgraph.go: what routers
// and the gateway's own clients each see; entities.go: entities by key).
package graph

//go:generate go run ../internal/execgen
//go:generate go test -run ^TestSDLFile$ -count=1 . -args -update-sdl
//go:generate go generate ../examples/goclient
