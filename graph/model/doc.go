// Package model holds the GraphQL models: hand-written ones that carry
// upstream ids and typed values mapped from Tanma's answers (customer.go,
// staff.go, date.go), and the ones gqlgen generates (models_gen.go).
package model
