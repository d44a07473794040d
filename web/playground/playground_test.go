package playground

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// get serves one request through h and returns the recorded response and its body.
func get(t *testing.T, h http.Handler, method, target string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, target, err)
	}
	return res, body
}

var configRE = regexp.MustCompile(`(?s)<script type="application/json" id="config">(.*?)</script>`)

// injectedConfig extracts and decodes the JSON config element of an index page.
func injectedConfig(t *testing.T, page []byte) pageConfig {
	t.Helper()
	m := configRE.FindSubmatch(page)
	if m == nil {
		t.Fatalf("index has no config element:\n%s", page)
	}
	var pc pageConfig
	if err := json.Unmarshal(m[1], &pc); err != nil {
		t.Fatalf("config element is not JSON: %v\n%s", err, m[1])
	}
	return pc
}

func TestIndex(t *testing.T) {
	t.Parallel()
	const hostile = `</script><script>alert(1)</script>`
	tests := []struct {
		name      string
		cfg       Config
		want      pageConfig
		wantTitle string // exact, HTML-escaped text of <title>
	}{
		{
			name:      "defaults",
			cfg:       Config{},
			want:      pageConfig{Endpoint: "/query", Title: DefaultTitle},
			wantTitle: "GraphQL Playground",
		},
		{
			name:      "explicit",
			cfg:       Config{Endpoint: "/api/query", Title: "Gateway", Version: "v1.4.0"},
			want:      pageConfig{Endpoint: "/api/query", Title: "Gateway", Version: "v1.4.0"},
			wantTitle: "Gateway (v1.4.0)",
		},
		{
			name:      "hostile title",
			cfg:       Config{Title: hostile, Version: `"><img src=x onerror=alert(2)>`},
			want:      pageConfig{Endpoint: "/query", Title: hostile, Version: `"><img src=x onerror=alert(2)>`},
			wantTitle: "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; (&#34;&gt;&lt;img src=x onerror=alert(2)&gt;)",
		},
		{
			name:      "hostile endpoint",
			cfg:       Config{Endpoint: `javascript:alert(1)//</script>`},
			want:      pageConfig{Endpoint: `javascript:alert(1)//</script>`, Title: DefaultTitle},
			wantTitle: "GraphQL Playground",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := Handler(tc.cfg)
			res, body := get(t, h, http.MethodGet, "/", nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200", res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("Cache-Control = %q, want no-cache", cc)
			}
			if got := injectedConfig(t, body); got != tc.want {
				t.Errorf("injected config = %+v, want %+v", got, tc.want)
			}
			if !bytes.Contains(body, []byte("<title>"+tc.wantTitle+"</title>")) {
				t.Errorf("index lacks <title>%s</title>:\n%s", tc.wantTitle, body)
			}
			// Whatever the config holds, the page has exactly its two fixed
			// script elements and no injected markup.
			if n := bytes.Count(body, []byte("<script")); n != 2 {
				t.Errorf("index has %d <script elements, want 2:\n%s", n, body)
			}
			for _, bad := range []string{"<script>alert", "<img", "onerror=alert(2)>"} {
				if bytes.Contains(body, []byte(bad)) {
					t.Errorf("index contains unescaped %q:\n%s", bad, body)
				}
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		cfg         Config
		target      string
		wantConnect string
	}{
		{name: "index", target: "/", wantConnect: "connect-src 'self';"},
		{name: "asset", target: assetPaths(t)[0], wantConnect: "connect-src 'self';"},
		{name: "not found", target: "/nope", wantConnect: "connect-src 'self';"},
		{name: "cross-origin endpoint", cfg: Config{Endpoint: "https://api.example.test:8443/query"}, target: "/", wantConnect: "connect-src 'self' https://api.example.test:8443 wss://api.example.test:8443;"},
		{name: "odd endpoint not copied", cfg: Config{Endpoint: "https://a.test;script-src */query"}, target: "/", wantConnect: "connect-src 'self';"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, _ := get(t, Handler(tc.cfg), http.MethodGet, tc.target, nil)
			if v := res.Header.Get("X-Content-Type-Options"); v != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", v)
			}
			csp := res.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self';", "style-src 'self' 'unsafe-inline'", "frame-ancestors 'none'", tc.wantConnect} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "*") {
				t.Errorf("CSP too permissive: %q", csp)
			}
		})
	}
}

// assetRefRE finds the src/href attributes of index.html.
var assetRefRE = regexp.MustCompile(`(?:src|href)="([^"]+)"`)

// assetPaths returns the URL paths, resolved against "/", of the assets the index references.
func assetPaths(t *testing.T) []string {
	t.Helper()
	_, body := get(t, Handler(Config{}), http.MethodGet, "/", nil)
	base, _ := url.Parse("http://playground.test/")
	var paths []string
	for _, m := range assetRefRE.FindAllSubmatch(body, -1) {
		ref := string(m[1])
		if strings.HasPrefix(ref, "data:") {
			continue
		}
		u, err := base.Parse(ref)
		if err != nil || u.Host != base.Host {
			t.Fatalf("index references a non-local asset %q", ref)
		}
		paths = append(paths, u.Path)
	}
	if len(paths) != 2 {
		t.Fatalf("index references %d assets (%v), want 2 (js and css)", len(paths), paths)
	}
	return paths
}

func TestAssets(t *testing.T) {
	t.Parallel()
	h := Handler(Config{})
	wantType := map[string]string{
		".js":  "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8",
	}
	for _, p := range assetPaths(t) {
		for _, enc := range []string{"identity", "gzip"} {
			t.Run(p+"/"+enc, func(t *testing.T) {
				t.Parallel()
				if !strings.HasPrefix(p, AssetPrefix) {
					t.Errorf("asset %q is not under %q", p, AssetPrefix)
				}
				res, body := get(t, h, http.MethodGet, p, map[string]string{"Accept-Encoding": enc})
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status = %d, want 200", res.StatusCode)
				}
				ext := p[strings.LastIndex(p, "."):]
				if ct := res.Header.Get("Content-Type"); ct != wantType[ext] {
					t.Errorf("Content-Type = %q, want %q", ct, wantType[ext])
				}
				if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
					t.Errorf("Cache-Control = %q, want long-lived immutable", cc)
				}
				if res.Header.Get("ETag") == "" {
					t.Error("no ETag")
				}
				if enc == "gzip" {
					if ce := res.Header.Get("Content-Encoding"); ce != "gzip" {
						t.Fatalf("Content-Encoding = %q, want gzip", ce)
					}
					zr, err := gzip.NewReader(bytes.NewReader(body))
					if err != nil {
						t.Fatal(err)
					}
					if body, err = io.ReadAll(zr); err != nil {
						t.Fatal(err)
					}
				} else if ce := res.Header.Get("Content-Encoding"); ce != "" {
					t.Errorf("Content-Encoding = %q without Accept-Encoding: gzip", ce)
				}
				want, err := fs.ReadFile(distFS, "dist/playground/"+strings.TrimPrefix(p, AssetPrefix))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(body, want) {
					t.Errorf("served %d bytes, want the %d embedded bytes", len(body), len(want))
				}
			})
		}
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	h := Handler(Config{})
	asset := assetPaths(t)[0]
	tests := []struct {
		name       string
		method     string
		target     string
		wantStatus int
		wantBody   bool
	}{
		{name: "index", method: http.MethodGet, target: "/", wantStatus: 200, wantBody: true},
		{name: "index head", method: http.MethodHead, target: "/", wantStatus: 200},
		{name: "asset head", method: http.MethodHead, target: asset, wantStatus: 200},
		{name: "index post", method: http.MethodPost, target: "/", wantStatus: 405, wantBody: true},
		{name: "unknown", method: http.MethodGet, target: "/nope", wantStatus: 404, wantBody: true},
		{name: "index.html", method: http.MethodGet, target: "/index.html", wantStatus: 404, wantBody: true},
		{name: "favicon", method: http.MethodGet, target: "/favicon.ico", wantStatus: 404, wantBody: true},
		{name: "asset dir", method: http.MethodGet, target: AssetPrefix, wantStatus: 404, wantBody: true},
		{name: "asset prefix no slash", method: http.MethodGet, target: strings.TrimSuffix(AssetPrefix, "/"), wantStatus: 404, wantBody: true},
		{name: "unknown asset", method: http.MethodGet, target: AssetPrefix + "graphiql-NOPE.js", wantStatus: 404, wantBody: true},
		{name: "dotdot", method: http.MethodGet, target: AssetPrefix + "../dist/index.html", wantStatus: 404, wantBody: true},
		{name: "embedded dir", method: http.MethodGet, target: "/dist/index.html", wantStatus: 404, wantBody: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, body := get(t, h, tc.method, tc.target, nil)
			if res.StatusCode != tc.wantStatus {
				t.Errorf("%s %s: status = %d, want %d", tc.method, tc.target, res.StatusCode, tc.wantStatus)
			}
			if (len(body) > 0) != tc.wantBody {
				t.Errorf("%s %s: body length %d, want body=%v", tc.method, tc.target, len(body), tc.wantBody)
			}
			if tc.wantStatus == 405 && res.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q", res.Header.Get("Allow"))
			}
		})
	}
}

// TestMounting checks the documented contract: Handler as the catch-all "/" of a
// mux next to the API routes, and below a prefix with http.StripPrefix.
func TestMounting(t *testing.T) {
	t.Parallel()
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "api:"+r.URL.Path) })
	root := http.NewServeMux()
	root.Handle("/query", api)
	root.Handle("/healthz", api)
	root.Handle("/schema.graphql", api)
	root.Handle("/", Handler(Config{}))

	prefixed := http.NewServeMux()
	prefixed.Handle("/query", api)
	prefixed.Handle("/gql/", http.StripPrefix("/gql", Handler(Config{})))

	asset := assetPaths(t)[0]
	tests := []struct {
		name       string
		mux        http.Handler
		target     string
		wantStatus int
		wantPrefix string
	}{
		{name: "root index", mux: root, target: "/", wantStatus: 200, wantPrefix: "<!doctype html>"},
		{name: "root asset", mux: root, target: asset, wantStatus: 200},
		{name: "root query", mux: root, target: "/query", wantStatus: 200, wantPrefix: "api:/query"},
		{name: "root healthz", mux: root, target: "/healthz", wantStatus: 200, wantPrefix: "api:/healthz"},
		{name: "root schema", mux: root, target: "/schema.graphql", wantStatus: 200, wantPrefix: "api:/schema.graphql"},
		{name: "root unknown", mux: root, target: "/other", wantStatus: 404},
		{name: "prefixed index", mux: prefixed, target: "/gql/", wantStatus: 200, wantPrefix: "<!doctype html>"},
		{name: "prefixed asset", mux: prefixed, target: "/gql" + asset, wantStatus: 200},
		{name: "prefixed unknown", mux: prefixed, target: "/gql/other", wantStatus: 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, body := get(t, tc.mux, http.MethodGet, tc.target, nil)
			if res.StatusCode != tc.wantStatus {
				t.Errorf("GET %s: status = %d, want %d", tc.target, res.StatusCode, tc.wantStatus)
			}
			if !bytes.HasPrefix(body, []byte(tc.wantPrefix)) {
				t.Errorf("GET %s: body starts %.40q, want %q", tc.target, body, tc.wantPrefix)
			}
		})
	}
}

// TestDistHasNoRemoteLoads asserts that nothing in dist makes the browser load
// a remote resource. URLs inside license comments, XML namespaces, error
// messages or documentation links are fine, so only loading constructs are checked.
func TestDistHasNoRemoteLoads(t *testing.T) {
	t.Parallel()
	loaders := regexp.MustCompile(`(?i)` + strings.Join([]string{
		`<script[^>]*\ssrc\s*=\s*["']?(?:https?:)?//`,
		`<link[^>]*\shref\s*=\s*["']?(?:https?:)?//`,
		`<img[^>]*\ssrc\s*=\s*["']?(?:https?:)?//`,
		`@import\s+(?:url\()?\s*["']?(?:https?:)?//`,
		`url\(\s*["']?(?:https?:)?//`,
		`fetch\(\s*["'\x60](?:https?:)?//`,
		`importScripts\(\s*["'\x60](?:https?:)?//`,
		`import\(\s*["'\x60](?:https?:)?//`,
		`new\s+(?:Shared)?Worker\(\s*["'\x60](?:https?:)?//`,
		`\.src\s*=\s*["'\x60](?:https?:)?//`,
		`sourceMappingURL=`,
	}, "|"))
	tests := []struct {
		name string
		path string
	}{}
	err := fs.WalkDir(distFS, "dist", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			tests = append(tests, struct {
				name string
				path string
			}{name: strings.TrimPrefix(p, "dist/"), path: p})
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tests) != 3 {
		t.Errorf("dist holds %d files, want 3 (index.html, js, css)", len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := fs.ReadFile(distFS, tc.path)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range loaders.FindAll(b, -1) {
				t.Errorf("%s loads a remote resource: %q", tc.path, m)
			}
			if strings.HasSuffix(tc.path, ".map") {
				t.Errorf("source map %s in dist", tc.path)
			}
		})
	}
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		want   bool
	}{
		{name: "empty", header: "", want: false},
		{name: "gzip", header: "gzip", want: true},
		{name: "browser", header: "gzip, deflate, br, zstd", want: true},
		{name: "case", header: "GZIP", want: true},
		{name: "q", header: "br;q=1.0, gzip;q=0.8", want: true},
		{name: "refused", header: "gzip;q=0", want: false},
		{name: "refused decimals", header: "gzip;q=0.000, br", want: false},
		{name: "other", header: "br, deflate", want: false},
		{name: "x-gzip only", header: "x-gzip", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := acceptsGzip(tc.header); got != tc.want {
				t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
			}
		})
	}
}
