package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// postTransport is gqlgen's POST transport (transport.POST) with the
// answer written by writeResponse: gqlgen marshals the whole response with
// encoding/json, which validates and re-compacts the already marshaled
// data byte by byte (a tenth of a typed page's CPU). The rest is gqlgen's:
// the content negotiation, status codes and errors, except that a body
// that does not decode is never echoed (it may hold personal data;
// internal/server refuses one before it gets here).
type postTransport struct{}

var _ graphql.Transport = postTransport{}

// Supports JSON POSTs, as transport.POST does.
func (postTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && r.Method == http.MethodPost && mediaType == "application/json"
}

// Do runs one POSTed operation.
func (postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	graphqlResponse := acceptsGraphQLResponse(r.Header.Get("Accept"))
	if graphqlResponse {
		w.Header().Set("Content-Type", "application/graphql-response+json")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	start := graphql.Now()
	params := &graphql.RawParams{}
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("json request body could not be decoded")}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	rc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		w.WriteHeader(statusFor(errs, graphqlResponse))
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
}

// acceptsGraphQLResponse negotiates the media type as gqlgen does: the
// first of application/json and application/graphql-response+json the
// Accept header lists, application/json for none or a wildcard, and
// application/graphql-response+json when it lists neither.
func acceptsGraphQLResponse(accept string) bool {
	if accept == "" {
		return false
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", "application/json":
			return false
		case "application/graphql-response+json":
			return true
		}
	}
	return true
}

// statusFor is gqlgen's status for an operation that could not start: 422
// (400 for application/graphql-response+json) for a protocol error, else
// 200.
func statusFor(errs gqlerror.List, graphqlResponse bool) int {
	if errcode.GetErrorKind(errs) != errcode.KindProtocol {
		return http.StatusOK
	}
	if graphqlResponse {
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

// writeResponse writes resp as encoding/json would (same keys, same order,
// errors and extensions through encoding/json), except that the data,
// which gqlgen's marshalers already wrote as compact JSON, is copied as it
// is rather than validated and compacted again.
func writeResponse(w io.Writer, resp *graphql.Response) {
	var b bytes.Buffer // all but the data, which is written as it is
	b.WriteByte('{')
	if len(resp.Errors) > 0 {
		b.WriteString(`"errors":`)
		appendJSON(&b, resp.Errors)
		b.WriteByte(',')
	}
	b.WriteString(`"data":`)
	if len(resp.Data) == 0 {
		b.WriteString("null")
	} else {
		_, _ = w.Write(b.Bytes())
		_, _ = w.Write(resp.Data)
		b.Reset()
	}
	if resp.Label != "" {
		b.WriteString(`,"label":`)
		appendJSON(&b, resp.Label)
	}
	if len(resp.Path) > 0 {
		b.WriteString(`,"path":`)
		appendJSON(&b, resp.Path)
	}
	if resp.HasNext != nil {
		b.WriteString(`,"hasNext":`)
		appendJSON(&b, *resp.HasNext)
	}
	if len(resp.Extensions) > 0 {
		b.WriteString(`,"extensions":`)
		appendJSON(&b, resp.Extensions)
	}
	b.WriteByte('}')
	_, _ = w.Write(b.Bytes())
}

func appendJSON(b *bytes.Buffer, v any) {
	out, err := json.Marshal(v)
	if err != nil {
		panic(err) // errors, paths and extensions are built by gqlgen and this gateway: a bug
	}
	b.Write(out)
}
