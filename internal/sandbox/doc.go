// Package sandbox is an in-process Tanma OpenAPI: an http.Handler that
// verifies signatures with tanma.Verify, validates bodies, pages with opaque
// cursors and answers in the upstream's exact JSON shapes, over deterministic
// seeded data (see data.go). Its zero value works. Exported knobs inject
// faults (latency, HTTP 5xx, non-zero codes, rate limiting) and per-endpoint
// counters let tests count upstream calls. It is the default backend of
// `go run .` and the upstream of every test.
//
// It pushes too, as Tanma does (push.go): once SetPushTarget names an
// address, every change to its data (update-by-id and transfer through the
// API, and the simulations below) is POSTed there asynchronously as a
// signed, encrypted push event, re-sent with backoff until the receiver
// answers HTTP 200 with the push's noise. PushStats counts the pushes,
// WaitPushes waits for them to settle and Close stops them. Pushing is off
// by default.
//
// Under /sandbox/ it serves its own control endpoints, which are not
// Tanma's and take no signature (simulate.go): POST
// /sandbox/simulate/customer-tag, /sandbox/simulate/new-customer and
// /sandbox/simulate/corp-tag make the changes a WeChat Work user would
// (tag a customer, add a customer, add a tag to the library) and push the
// matching events; GET /sandbox/pushes reports the push counters.
//
// Where Tanma's documentation is silent the sandbox had to choose; each such
// choice is marked "Sandbox choice" in a comment.
package sandbox
