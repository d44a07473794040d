// Package relay holds the gateway's Relay helpers: opaque global ids for
// Node objects, the versioned cursor codec, and the one paginator that maps
// Relay's first/after onto any upstream that pages by token (Tanma's opaque
// nextCursor, or a page number).
package relay
