package executor

import (
	"bytes"
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// The multipart/mixed incremental delivery format Apollo Client and urql
// read (GraphQL over HTTP's incremental delivery RFC, with the payloads of
// the @defer proposal of 2022-08-24, as gqlgen's transport.MultipartMixed
// writes them): the initial payload {"data", "hasNext": true}, then
// payloads {"incremental": [{"data", "path", "label"?, "errors"?}],
// "hasNext"}, the last with "hasNext": false. Each part is followed at
// once by the next delimiter (clients hand a part over only when they see
// the delimiter after it), and the last by the closing delimiter.

// multipartContentType is the answer's media type: boundary "-" (so the
// delimiter is "---") and the format of the deferred payloads.
const multipartContentType = `multipart/mixed; boundary="-"; deferSpec=20220824`

const (
	firstDelimiter = "---\r\n"
	partHeader     = "Content-Type: application/json; charset=utf-8\r\n\r\n"
	nextDelimiter  = "\r\n---\r\n"
	closeDelimiter = "\r\n-----\r\n"
)

// partWriter writes one multipart/mixed answer to w, flushing after each
// part.
type partWriter struct {
	w       io.Writer
	flush   func() error
	started bool
}

// initial writes the initial payload (the response as one JSON answer
// writes it).
func (p *partWriter) initial(resp *graphql.Response) error {
	return p.part(resp.HasNext != nil && *resp.HasNext, func(w io.Writer) { writeResponse(w, resp) })
}

// incremental writes the responses after the initial one as one payload,
// each an entry of its incremental list (its data, path, label, errors
// and extensions), with hasNext from the last of them.
func (p *partWriter) incremental(resps []*graphql.Response) error {
	last := resps[len(resps)-1]
	hasNext := last.HasNext != nil && *last.HasNext
	return p.part(hasNext, func(w io.Writer) {
		_, _ = io.WriteString(w, `{"incremental":[`)
		for i, resp := range resps {
			if i > 0 {
				_, _ = io.WriteString(w, ",")
			}
			entry := *resp
			entry.HasNext = nil // the payload's, not the entry's
			writeResponse(w, &entry)
		}
		_, _ = io.WriteString(w, `],"hasNext":`)
		writeBool(w, hasNext)
		_, _ = io.WriteString(w, "}")
	})
}

// end writes a last payload, hasNext false, with resp's errors: the
// answer ended before every deferred part was delivered.
func (p *partWriter) end(resp *graphql.Response) error {
	return p.part(false, func(w io.Writer) {
		_, _ = io.WriteString(w, "{")
		if len(resp.Errors) > 0 {
			var b bytes.Buffer
			b.WriteString(`"errors":`)
			appendJSON(&b, resp.Errors)
			b.WriteByte(',')
			_, _ = w.Write(b.Bytes())
		}
		_, _ = io.WriteString(w, `"hasNext":false}`)
	})
}

// part writes one part, its body written by body, and the delimiter after
// it (the closing one unless more follows), then flushes: the error is the
// flush's (the client is gone).
func (p *partWriter) part(more bool, body func(io.Writer)) error {
	if !p.started {
		_, _ = io.WriteString(p.w, firstDelimiter)
		p.started = true
	}
	_, _ = io.WriteString(p.w, partHeader)
	body(p.w)
	if more {
		_, _ = io.WriteString(p.w, nextDelimiter)
	} else {
		_, _ = io.WriteString(p.w, closeDelimiter)
	}
	return p.flush()
}

func writeBool(w io.Writer, v bool) {
	if v {
		_, _ = io.WriteString(w, "true")
	} else {
		_, _ = io.WriteString(w, "false")
	}
}
