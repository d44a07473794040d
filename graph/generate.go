// Package graph is the GraphQL edge of the gateway: the schema (*.graphqls,
// one domain per file), gqlgen's generated executor (generated.go, shaped
// by internal/execgen: see gqlgen.yml for which fields are resolvers), thin
// resolvers, and the error presenter. Resolvers turn upstream ids into objects through
// internal/tanma and, for lists, the one Relay paginator in graph/relay.
package graph

//go:generate go run ../internal/execgen
//go:generate go test -run ^TestSDLFile$ -count=1 . -args -update-sdl
