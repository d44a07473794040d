// Package graph is the GraphQL schema of the gateway and its resolvers: the
// schema (*.graphqls, one domain per file), gqlgen's generated executable
// schema (generated.go, shaped by internal/execgen: see gqlgen.yml for which
// fields are resolvers), the cost model (complexity.go), thin resolvers,
// and the one visibility gate (visibility.go). Resolvers speak domain
// values: they read through the request's loaders (internal/loaders) and
// internal/tanma, and page lists with the one Relay paginator in
// graph/relay. internal/executor runs the schema over HTTP (NewSchema).
package graph

//go:generate go run ../internal/execgen
//go:generate go test -run ^TestSDLFile$ -count=1 . -args -update-sdl
