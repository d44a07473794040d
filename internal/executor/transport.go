package executor

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// The transports are gqlgen's POST and GET transports (transport.POST,
// transport.GET) with two changes: the answer is written by writeResponse,
// and a request error answers 200 with application/json (statusFor).

// postTransport is gqlgen's POST transport (transport.POST) with the
// answer written by writeResponse, and a query that defers fields answered
// in parts (multipart/mixed) when the client accepts them
// (streamIncremental; gqlgen's transport.MultipartMixed would decode the
// body itself, echo it in errors, answer every operation in parts and
// request errors with its own statuses). gqlgen marshals the whole
// response with encoding/json, which validates and re-compacts the
// already marshaled data byte by byte (a tenth of a typed page's CPU). The rest is gqlgen's:
// the content negotiation and errors, except that a request error answers
// 200 with application/json (see statusFor) and a body that does not
// decode is never echoed (it may hold personal data; internal/server
// refuses one before it gets here).
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
	graphqlResponse := setContentType(w, r)
	start := graphql.Now()
	params := &graphql.RawParams{}
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		requestRefused(ctx, w, exec, http.StatusBadRequest, "json request body could not be decoded")
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	// A client that accepts parts gets an operation that may defer, on a
	// context of its own: cancelled when a part cannot be written.
	var cancel context.CancelFunc
	if acceptsIncremental(r.Header.Get("Accept")) {
		ctx, cancel = context.WithCancel(withIncremental(ctx))
		defer cancel()
	}
	rc := operation(ctx, w, exec, params, graphqlResponse)
	if rc == nil {
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	first := responses(ctx)
	if first == nil {
		first = endedEarly(ctx, exec)
	}
	if cancel != nil && first.HasNext != nil && *first.HasNext {
		streamIncremental(ctx, cancel, w, exec, first, responses)
		return
	}
	writeResponse(w, first)
}

// getTransport is gqlgen's GET transport (transport.GET), queries only,
// with the answer written by writeResponse and statusFor's statuses.
type getTransport struct{}

var _ graphql.Transport = getTransport{}

// Supports GETs, as transport.GET does.
func (getTransport) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && r.Method == http.MethodGet
}

// Do runs one query sent in the URL.
func (getTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	graphqlResponse := setContentType(w, r)
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		requestRefused(ctx, w, exec, http.StatusBadRequest, "the query string could not be parsed")
		return
	}
	params := &graphql.RawParams{Query: query.Get("query"), OperationName: query.Get("operationName"), Headers: r.Header}
	params.ReadTime.Start = graphql.Now()
	for name, into := range map[string]*map[string]any{"variables": &params.Variables, "extensions": &params.Extensions} {
		if v := query.Get(name); v != "" {
			dec := json.NewDecoder(strings.NewReader(v))
			dec.UseNumber()
			if dec.Decode(into) != nil {
				requestRefused(ctx, w, exec, http.StatusBadRequest, name+" could not be decoded")
				return
			}
		}
	}
	params.ReadTime.End = graphql.Now()
	rc := operation(ctx, w, exec, params, graphqlResponse)
	if rc == nil {
		return
	}
	if op := rc.Doc.Operations.ForName(rc.OperationName); op == nil || op.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		requestRefused(ctx, w, exec, http.StatusMethodNotAllowed, "GET runs queries only: send mutations with POST")
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	resp := responses(ctx)
	if resp == nil {
		resp = endedEarly(ctx, exec)
	}
	writeResponse(w, resp)
}

// endedEarly is the answer to a request whose context ended before its
// operation ran or before its last deferred part (the client left, the
// deadline passed), where gqlgen's executor answers nothing more: an
// error saying so, through the presenter.
func endedEarly(ctx context.Context, exec graphql.GraphExecutor) *graphql.Response {
	err := ctx.Err()
	if err == nil {
		err = context.Canceled // not expected: the executor ends early only on its context
	}
	return exec.DispatchError(ctx, gqlerror.List{{Err: err, Message: err.Error()}})
}

// operation builds the operation the parameters ask for (parsed,
// validated, variables coerced), or answers the request error and
// returns nil. A subscription is refused: it needs a stream, which only
// the WebSocket transport keeps open.
func operation(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, params *graphql.RawParams, graphqlResponse bool) *graphql.OperationContext {
	if noQuery(params) {
		requestRefused(ctx, w, exec, http.StatusBadRequest, "the request has no query")
		return nil
	}
	rc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		w.WriteHeader(statusFor(errs, graphqlResponse))
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs))
		return nil
	}
	if rc.Operation != nil && rc.Operation.Operation == ast.Subscription {
		requestRefused(ctx, w, exec, http.StatusBadRequest,
			"subscriptions are served over WebSocket (graphql-transport-ws or graphql-ws) at this address, not over plain HTTP")
		return nil
	}
	return rc
}

// noQuery: the request's parameters name no document: no query, and no
// persisted query's hash (which APQ answers with PERSISTED_QUERY_NOT_FOUND,
// 200, as APQ clients expect). That is not a GraphQL request: 400.
func noQuery(p *graphql.RawParams) bool {
	_, persisted := p.Extensions["persistedQuery"]
	return strings.TrimSpace(p.Query) == "" && !persisted
}

// setContentType negotiates the answer's media type and reports whether it
// is application/graphql-response+json.
func setContentType(w http.ResponseWriter, r *http.Request) bool {
	graphqlResponse := acceptsGraphQLResponse(r.Header.Get("Accept"))
	if graphqlResponse {
		w.Header().Set("Content-Type", "application/graphql-response+json")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	return graphqlResponse
}

// requestRefused answers a request that is not a GraphQL request at all,
// with the code BAD_REQUEST, through the error presenter.
func requestRefused(ctx context.Context, w http.ResponseWriter, exec graphql.GraphExecutor, status int, msg string) {
	err := gqlerror.Errorf("%s", msg)
	setCode(err, apperr.BadRequest)
	w.WriteHeader(status)
	writeResponse(w, exec.DispatchError(ctx, gqlerror.List{err}))
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

// statusFor is the status of an operation that could not start (it did
// not parse or validate, a variable did not coerce, a limit refused it), as
// GraphQL over HTTP asks: with application/json, 200 (clients such as
// Apollo Client then report GraphQL errors, not a network error); with
// application/graphql-response+json, 400 for such a request error.
func statusFor(errs gqlerror.List, graphqlResponse bool) int {
	if graphqlResponse && errcode.GetErrorKind(errs) == errcode.KindProtocol {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// The codes that refuse a request before it runs (apperr.Code.RequestError)
// are gqlgen's protocol errors: 400 here, an error message rather than a
// result on a WebSocket.
func init() {
	for _, c := range apperr.Codes() {
		if c.RequestError() {
			errcode.RegisterErrorType(string(c), errcode.KindProtocol)
		}
	}
}

// setCode sets an error's extensions.code.
func setCode(err *gqlerror.Error, c apperr.Code) {
	if err.Extensions == nil {
		err.Extensions = map[string]any{}
	}
	err.Extensions["code"] = string(c)
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
