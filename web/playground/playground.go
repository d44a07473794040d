// Package playground serves an offline GraphiQL page for the gateway's GraphQL
// endpoint.
//
// The page and its assets (React + GraphiQL 4, built with esbuild from the npm
// project in this directory, see README.md) are embedded from dist/, so the
// playground works without any CDN or other network access from the browser.
//
// Mounting contract: Handler serves exactly
//
//	GET|HEAD /                      the GraphiQL page (index.html, config injected)
//	GET|HEAD /playground/<asset>    the content-hashed assets referenced by the page
//
// and answers 404 for every other path (405 for other methods on those paths).
// It is meant to be mounted as the catch-all of a server mux, next to the
// GraphQL endpoint and other routes:
//
//	mux.Handle("/query", srv)
//	mux.HandleFunc("/healthz", healthz)
//	mux.Handle("/", playground.Handler(playground.Config{Version: version}))
//
// The page references its assets relatively ("./playground/..."), so it also
// works below a prefix: mux.Handle("/gql/", http.StripPrefix("/gql", h)), in
// which case the page must be opened as "/gql/" (with the trailing slash) and
// Config.Endpoint should name the endpoint's full path.
package playground

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
)

// AssetPrefix is the URL path prefix under which Handler serves the page's assets.
const AssetPrefix = "/playground/"

// DefaultEndpoint is the GraphQL endpoint used when Config.Endpoint is empty.
const DefaultEndpoint = "/query"

// DefaultTitle is the page title used when Config.Title is empty.
const DefaultTitle = "GraphQL Playground"

//go:embed dist
var distFS embed.FS

// Config configures the playground page served by Handler.
type Config struct {
	// Endpoint is the URL (usually an absolute path such as "/query") of the GraphQL endpoint the page queries; empty means DefaultEndpoint.
	Endpoint string
	// Title is the page title shown in the browser tab and the GraphiQL header; empty means DefaultTitle.
	Title string
	// Version is the server version shown next to the title; empty shows none.
	Version string
}

// pageConfig is the JSON document injected into the page's
// <script type="application/json" id="config"> element and read by src/main.jsx.
type pageConfig struct {
	Endpoint string `json:"endpoint"`
	Title    string `json:"title"`
	Version  string `json:"version"`
}

type indexData struct {
	PageTitle string
	Config    pageConfig
}

// asset is one embedded static file; its gzip form is computed once, on first use.
type asset struct {
	name        string
	body        []byte
	contentType string
	etag        string

	gzOnce sync.Once
	gz     []byte
	gzEtag string
}

var (
	loadOnce  sync.Once
	indexTmpl *template.Template
	assets    map[string]*asset // keyed by URL path, e.g. "/playground/graphiql-ABC.js"
	loadErr   error
)

func load() {
	src, err := distFS.ReadFile("dist/index.html")
	if err != nil {
		loadErr = err
		return
	}
	indexTmpl, err = template.New("index.html").Parse(string(src))
	if err != nil {
		loadErr = err
		return
	}
	assets = map[string]*asset{}
	loadErr = fs.WalkDir(distFS, "dist/playground", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := distFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		assets[AssetPrefix+name] = &asset{
			name:        name,
			body:        body,
			contentType: contentType(name),
			etag:        `"` + strings.TrimSuffix(name, path.Ext(name)) + `"`,
		}
		return nil
	})
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	default:
		return "application/octet-stream"
	}
}

// gzipped returns the gzip-compressed body and its ETag, compressing on first use.
func (a *asset) gzipped() ([]byte, string) {
	a.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(a.body)
		if zw.Close() == nil && buf.Len() < len(a.body) {
			a.gz = buf.Bytes()
			a.gzEtag = strings.TrimSuffix(a.etag, `"`) + `-gzip"`
		}
	})
	return a.gz, a.gzEtag
}

// safeOrigin matches scheme://host[:port] values that may be copied into a CSP header.
var safeOrigin = regexp.MustCompile(`^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$`)

// contentSecurityPolicy returns the page's CSP. Scripts come only from this
// handler; inline style attributes/elements are allowed because GraphiQL's
// components (CodeMirror, Radix dialogs and menus) set them at run time. Fonts
// and tiny images are embedded as data: URLs in the stylesheet. If the endpoint
// is on another origin, that origin (and its ws:/wss: twin, for
// subscriptions) is added to connect-src.
func contentSecurityPolicy(endpoint string) string {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && u.IsAbs() {
		scheme := strings.ToLower(u.Scheme)
		origin := scheme + "://" + u.Host
		if safeOrigin.MatchString(origin) {
			// and its WebSocket origin, where subscriptions go
			connect += " " + origin + " " + strings.Replace(scheme, "http", "ws", 1) + "://" + u.Host
		}
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src " + connect,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

// Handler returns an http.Handler serving the GraphiQL page configured by cfg
// at "/" and its assets under AssetPrefix; see the package documentation for
// the mounting contract.
func Handler(cfg Config) http.Handler {
	loadOnce.Do(load)
	if loadErr != nil {
		// dist/ is embedded at compile time, so this is a build defect.
		panic("playground: embedded dist is broken: " + loadErr.Error())
	}
	pc := pageConfig{Endpoint: cfg.Endpoint, Title: cfg.Title, Version: cfg.Version}
	if pc.Endpoint == "" {
		pc.Endpoint = DefaultEndpoint
	}
	if pc.Title == "" {
		pc.Title = DefaultTitle
	}
	pageTitle := pc.Title
	if pc.Version != "" {
		pageTitle += " (" + pc.Version + ")"
	}
	var buf bytes.Buffer
	if err := indexTmpl.Execute(&buf, indexData{PageTitle: pageTitle, Config: pc}); err != nil {
		panic("playground: rendering index.html: " + err.Error())
	}
	sum := sha256.Sum256(buf.Bytes())
	return &handler{
		index:     buf.Bytes(),
		indexEtag: `"` + hex.EncodeToString(sum[:12]) + `"`,
		csp:       contentSecurityPolicy(pc.Endpoint),
	}
}

type handler struct {
	index     []byte
	indexEtag string
	csp       string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Security-Policy", h.csp)
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("X-Frame-Options", "DENY")

	var a *asset
	if r.URL.Path != "/" {
		a = assets[r.URL.Path]
		if a == nil {
			http.NotFound(w, r)
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}

	if a == nil {
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("ETag", h.indexEtag)
		http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(h.index))
		return
	}

	hdr.Set("Content-Type", a.contentType)
	hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	hdr.Add("Vary", "Accept-Encoding")
	body, etag := a.body, a.etag
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		if gz, gzEtag := a.gzipped(); gz != nil {
			body, etag = gz, gzEtag
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header value allows gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				v = strings.TrimSpace(v)
				return strings.Trim(v, "0.") != "" // q=0, q=0.0, q=0.000 refuse gzip
			}
		}
		return true
	}
	return false
}
