// Package requestlog keeps one record per HTTP request: its id (the
// X-Request-Id header, echoed back), and what the layers below learn about
// it: the GraphQL operation name, the caller, the query's cost, how many
// upstream calls it made and the error codes it answered. Middleware creates
// the record, puts it in the request context (From reads it), and writes one
// log line when the request ends. The line never holds query strings,
// bodies, variables, response data or credentials.
package requestlog
