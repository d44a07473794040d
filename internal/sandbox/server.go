package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Credentials the sandbox accepts when Server.AppID/AppKey are unset: the
// made-up app of the signature test vectors in tanma-api.md.
const (
	DefaultAppID               = "ww0000000000000000_TEST01"
	DefaultAppKey tanma.Secret = "testAppKey0123456789abcdefABCDEF"
)

// maxRequestBody caps what the sandbox reads of a request.
const maxRequestBody = 1 << 20

// Server is the sandbox Tanma. The zero value serves the default dataset
// with the default credentials.
type Server struct {
	AppID  string           // accepted app id; DefaultAppID when empty
	AppKey tanma.Secret     // signing secret; DefaultAppKey when empty
	Skew   time.Duration    // allowed timestamp skew; tanma.DefaultSkew when zero
	Now    func() time.Time // clock; time.Now when nil

	// Push delivery (see push.go); set before serving. A push is tried
	// PushAttempts times (5 when zero), PushBackoff apart (100ms when
	// zero), the wait doubling after each failure.
	PushAttempts int
	PushBackoff  time.Duration

	once   sync.Once
	data   atomic.Pointer[Dataset] // the current state: replaced whole by every write (see writes.go)
	wmu    sync.Mutex              // serialises writes
	routes map[string]route
	faults atomic.Pointer[Faults]
	calls  sync.Map // path → *atomic.Int64
	push   pusher
}

var _ http.Handler = (*Server)(nil)

// route answers one endpoint: data to wrap in the success envelope, or an
// *answer error.
type route func(s *Server, body []byte) (any, error)

func (s *Server) init() {
	s.once.Do(func() {
		s.data.CompareAndSwap(nil, Default())
		s.push.init()
		s.routes = map[string]route{
			tanma.PathListByQwUserID:           (*Server).listByQwUserID,
			tanma.PathListByRelationCreateTime: (*Server).listByRelationCreateTime,
			tanma.PathSearchCustomers:          (*Server).search,
			tanma.PathListFields:               (*Server).listFields,
			tanma.PathTagTree:                  (*Server).listTagTree,
			tanma.PathGetUsers:                 (*Server).getUsers,
			tanma.PathUserDepartments:          (*Server).userDepartments,
			tanma.PathListFollowUps:            (*Server).listFollowUps,
			tanma.PathAddClue:                  (*Server).addClue,
			tanma.PathUpdateCustomer:           (*Server).updateCustomer,
			tanma.PathTransferCustomers:        (*Server).transfer,
		}
	})
}

// New returns a sandbox over the given dataset (Default() when nil).
func New(d *Dataset) *Server {
	s := &Server{}
	s.data.Store(d)
	return s
}

// Data returns the dataset the sandbox serves now (tests compare against
// it). A write replaces it, so a snapshot taken before stays as it was.
func (s *Server) Data() *Dataset {
	s.init()
	return s.data.Load()
}

// Calls returns how many requests reached the endpoint path. The sandbox's
// own control endpoints (under /sandbox/, see simulate.go) are not counted.
func (s *Server) Calls(path string) int64 {
	if c, ok := s.calls.Load(path); ok {
		return c.(*atomic.Int64).Load()
	}
	return 0
}

// TotalCalls returns how many requests reached any path.
func (s *Server) TotalCalls() int64 {
	var n int64
	s.calls.Range(func(_, v any) bool { n += v.(*atomic.Int64).Load(); return true })
	return n
}

// ResetCalls zeroes every counter.
func (s *Server) ResetCalls() {
	s.calls.Range(func(k, _ any) bool { s.calls.Delete(k); return true })
}

func (s *Server) count(path string) {
	c, _ := s.calls.LoadOrStore(path, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
}

func (s *Server) appID() string {
	if s.AppID == "" {
		return DefaultAppID
	}
	return s.AppID
}

func (s *Server) appKey() tanma.Secret {
	if s.AppKey == "" {
		return DefaultAppKey
	}
	return s.AppKey
}

func (s *Server) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// ServeHTTP answers one upstream call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.init()
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.serveControl(w, r)
		return
	}
	s.count(r.URL.Path)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, envelope{Code: http.StatusMethodNotAllowed, Message: "Request method '" + r.Method + "' not supported"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(body) > maxRequestBody {
		writeJSON(w, http.StatusBadRequest, envelope{Code: http.StatusBadRequest, Message: "request body unreadable or too large"})
		return
	}
	f := s.faultsFor(r.URL.Path)
	if !sleep(r.Context(), f.Latency) {
		return
	}
	if err := tanma.Verify(r.Header, body, s.appID(), s.appKey(), s.now(), s.skew()); err != nil {
		s.fail(w, signatureAnswer(err))
		return
	}
	if a := f.answer(); a != nil {
		s.fail(w, a)
		return
	}
	h, ok := s.routes[r.URL.Path]
	if !ok {
		writeJSON(w, http.StatusNotFound, envelope{Code: http.StatusNotFound, Message: "Not Found"})
		return
	}
	data, err := h(s, body)
	if err != nil {
		var a *answer
		if !errors.As(err, &a) {
			a = &answer{status: http.StatusInternalServerError, code: http.StatusInternalServerError, message: "系统异常"}
		}
		s.fail(w, a)
		return
	}
	writeJSON(w, http.StatusOK, envelope{Code: tanma.CodeOK, Message: "ok", Data: data})
}

func (s *Server) skew() time.Duration {
	if s.Skew == 0 {
		return tanma.DefaultSkew
	}
	return s.Skew
}

// sleep waits d or until ctx ends; it reports whether to go on.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// envelope is the upstream answer shape; data is always present, null on failure.
type envelope struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data"`
}

// answer is a failure the sandbox sends back.
type answer struct {
	status     int // HTTP status; 200 for code != 0 answers, as upstream does
	code       int
	message    string
	retryAfter time.Duration
}

func (a *answer) Error() string { return a.message }

func (s *Server) fail(w http.ResponseWriter, a *answer) {
	if a.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((a.retryAfter+time.Second-1)/time.Second)))
	}
	writeJSON(w, a.status, envelope{Code: a.code, Message: a.message})
}

// Upstream messages for signature failures.
const (
	msgBadSignature = "签名校验未通过"
	msgClockSkew    = "请求时间与服务器时间相差过大"
)

func signatureAnswer(err error) *answer {
	if errors.Is(err, tanma.ErrStaleTimestamp) {
		return &answer{status: http.StatusOK, code: tanma.CodeClockSkew, message: msgClockSkew}
	}
	return &answer{status: http.StatusOK, code: tanma.CodeBadSignature, message: msgBadSignature}
}

// validation is an upstream parameter validation failure.
// Sandbox choice: Tanma documents only 40417 (duplicate phone) among its
// validation codes; other validation failures use code 400 with the
// documented "请求参数验证失败：" message prefix.
func validation(detail string) *answer {
	return &answer{status: http.StatusOK, code: codeValidation, message: tanma.ValidationPrefix + detail}
}

const codeValidation = 400

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// decodeBody decodes a JSON object body strictly enough to catch wrong
// types. Member names match exactly, as the upstream's Java JSON binding
// does (encoding/json alone would take "qwuserid" for "qwUserId"): a member
// whose name differs only in case is ignored, like any unknown member.
func decodeBody(body []byte, v any) *answer {
	if len(body) == 0 {
		return validation("请求体不能为空")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil || members == nil {
		return validation("请求体格式错误")
	}
	names := jsonNames(reflect.TypeOf(v).Elem())
	for k := range members {
		if !names[k] {
			delete(members, k)
		}
	}
	exact, _ := json.Marshal(members) // raw messages of valid JSON: cannot fail
	if err := json.Unmarshal(exact, v); err != nil {
		return validation("请求体格式错误")
	}
	return nil
}

// jsonNames lists the member names a struct type decodes.
func jsonNames(t reflect.Type) map[string]bool {
	names := map[string]bool{}
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			names[name] = true
		} else if f.IsExported() {
			names[f.Name] = true
		}
	}
	return names
}

// chance reports true with probability p.
func chance(p float64) bool { return p > 0 && rand.Float64() < p }
