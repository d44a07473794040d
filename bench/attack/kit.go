package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// kit builds the requests of the hostile cases against one gateway.
type kit struct {
	base   string // the public port, http://...
	cursor string // a valid cursor of dowen's customers (first: 2)
}

// hdr is a request's extra headers as name, value pairs; an empty value
// removes the header.
type hdr []string

func (h hdr) apply(req *http.Request) {
	for i := 0; i+1 < len(h); i += 2 {
		if h[i+1] == "" {
			req.Header.Del(h[i])
		} else {
			req.Header.Set(h[i], h[i+1])
		}
	}
}

// raw posts body to /query as JSON with the hostile key, then h.
func (k *kit) raw(body []byte, h ...string) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, k.base+"/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", keyHostile)
	hdr(h).apply(req)
	return req
}

// gql posts a GraphQL request {query, variables} with the hostile key.
func (k *kit) gql(query string, vars map[string]any, h ...string) *http.Request {
	p := map[string]any{"query": query}
	if vars != nil {
		p["variables"] = vars
	}
	b, _ := json.Marshal(p)
	return k.raw(b, h...)
}

// get sends GET path?q with the hostile key and the preflight header
// (CSRF protection), then h.
func (k *kit) get(path string, q url.Values, h ...string) *http.Request {
	u := k.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("X-API-Key", keyHostile)
	req.Header.Set("GraphQL-Require-Preflight", "1")
	hdr(h).apply(req)
	return req
}

// method sends an empty request with the method to path, hostile key.
func (k *kit) method(m, path string, h ...string) *http.Request {
	req, _ := http.NewRequest(m, k.base+path, nil)
	req.Header.Set("X-API-Key", keyHostile)
	hdr(h).apply(req)
	return req
}

// rotate returns the i-th of the builders, round robin.
func rotate(builders ...func() *http.Request) func(int) *http.Request {
	return func(i int) *http.Request { return builders[i%len(builders)]() }
}

// q is a builder, for rotate, of the GraphQL request query alone.
func (k *kit) q(query string) func() *http.Request {
	return func() *http.Request { return k.gql(query, nil) }
}

// gid is a global id as the gateway writes them: base64 of "Type:id".
func gid(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// repeat joins n copies of s with sep.
func repeat(s string, n int, sep string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = s
	}
	return strings.Join(parts, sep)
}

// nest is n levels of open + inner + n levels of close.
func nest(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}
