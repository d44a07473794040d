// Package sandbox is an in-process Tanma OpenAPI: an http.Handler that
// verifies signatures with tanma.Verify, validates bodies, pages with opaque
// cursors and answers in the upstream's exact JSON shapes, over deterministic
// seeded data (see data.go). Its zero value works. Exported knobs inject
// faults (latency, HTTP 5xx, non-zero codes, rate limiting) and per-endpoint
// counters let tests count upstream calls. It is the default backend of
// `go run .` and the upstream of every test.
//
// Where Tanma's documentation is silent the sandbox had to choose; each such
// choice is marked "Sandbox choice" in a comment.
package sandbox
