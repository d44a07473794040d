package executor

import (
	"context"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
)

// Incremental delivery: a POSTed query that defers fields, from a client
// that accepts multipart/mixed, is answered as it resolves: the initial
// payload as soon as everything not deferred is ready, each deferred
// fragment in a later part (multipart.go). Every other answer is one JSON
// document, @defer resolved inline (inlineDefer).

// deferSpec is the @defer payload format written (multipartContentType).
const deferSpec = "20220824"

// acceptsIncremental reports whether an Accept header lists multipart/mixed
// (not with q=0, with no deferSpec or this one, and naming no later format
// with incrementalSpec or incrementalDeliverySpec): Apollo Client sends
// "multipart/mixed;deferSpec=20220824,application/json", urql
// "multipart/mixed, application/graphql-response+json, ...".
func acceptsIncremental(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || mediaType != "multipart/mixed" {
			continue
		}
		if q, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(q, 64); err != nil || v <= 0 {
				continue
			}
		}
		if spec, ok := params["deferspec"]; ok && spec != deferSpec {
			continue
		}
		if _, ok := params["incrementalspec"]; ok {
			continue // a later format (Apollo's incrementalSpec=v0.2), not this one
		}
		if _, ok := params["incrementaldeliveryspec"]; ok {
			continue
		}
		return true
	}
	return false
}

type incrementalKey struct{}

// withIncremental marks ctx's request as one whose deferred fragments may
// be delivered in later parts (inlineDefer then leaves them deferred).
func withIncremental(ctx context.Context) context.Context {
	return context.WithValue(ctx, incrementalKey{}, true)
}

// incremental reports whether ctx's request accepts deferred parts.
func incremental(ctx context.Context) bool {
	v, _ := ctx.Value(incrementalKey{}).(bool)
	return v
}

// streamIncremental answers first, an initial payload with hasNext, and
// the responses after it as multipart/mixed. The responses are read on a
// goroutine of their own, so that the ones that resolved while a part was
// being written go out together in the next part. When the client is
// gone, cancel stops the operation; the responses are read to their end
// either way (deferred resolvers still running then stop as they notice
// the cancellation). An
// answer that ends before its last deferred part (the request's deadline)
// ends with a payload that says why, hasNext false.
func streamIncremental(ctx context.Context, cancel context.CancelFunc, w http.ResponseWriter, exec graphql.GraphExecutor,
	first *graphql.Response, next graphql.ResponseHandler,
) {
	w.Header().Set("Content-Type", multipartContentType)
	rc := http.NewResponseController(w)
	p := partWriter{w: w, flush: rc.Flush}
	gone := p.initial(first) != nil
	if gone {
		cancel()
	}

	parts := make(chan *graphql.Response, 16)
	go func() {
		defer close(parts)
		for {
			resp := next(ctx)
			if resp == nil {
				return
			}
			parts <- resp
		}
	}()

	hasNext := true
	for resp := range parts {
		batch := []*graphql.Response{resp}
		for more := true; more; {
			select {
			case r, ok := <-parts:
				if ok {
					batch = append(batch, r)
				} else {
					more = false
				}
			default:
				more = false
			}
		}
		last := batch[len(batch)-1]
		hasNext = last.HasNext != nil && *last.HasNext
		if !gone && p.incremental(batch) != nil {
			gone = true
			cancel()
		}
	}
	if hasNext && !gone {
		_ = p.end(endedEarly(ctx, exec))
	}
}
