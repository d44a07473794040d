// Package config reads the gateway's settings from environment variables.
// With no Tanma credentials the gateway runs on the embedded sandbox; half a
// configuration is an error that names what is missing.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Config is everything the server needs to start.
type Config struct {
	Addr           string        // listen address, from PORT (default :8080)
	Sandbox        bool          // no credentials given: serve the embedded sandbox
	AppID          string        // TANMA_APP_ID
	AppKey         tanma.Secret  // TANMA_APP_KEY
	BaseURL        string        // TANMA_BASE_URL
	QPS            float64       // TANMA_QPS: upstream calls per second, 0 for no limit
	Timeout        time.Duration // TANMA_TIMEOUT: one upstream call
	RequestTimeout time.Duration // REQUEST_TIMEOUT: one GraphQL request
	ReferenceTTL   time.Duration // REFERENCE_TTL: how long reference data is served without a refresh
	MaxComplexity  int           // MAX_COMPLEXITY: cost budget of one GraphQL operation
	LogLevel       slog.Level    // LOG_LEVEL: debug, info, warn, error
}

// Load reads the configuration through getenv (os.Getenv in production).
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:    ":8080",
		AppID:   strings.TrimSpace(getenv("TANMA_APP_ID")),
		AppKey:  tanma.Secret(strings.TrimSpace(getenv("TANMA_APP_KEY"))),
		BaseURL: tanma.DefaultBaseURL,
	}
	var errs []error
	if p := getenv("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			errs = append(errs, fmt.Errorf("PORT must be a port number (1-65535), got %q", p))
		}
		c.Addr = ":" + p
	}
	switch {
	case c.AppID == "" && c.AppKey == "":
		c.Sandbox = true
		if getenv("TANMA_BASE_URL") != "" {
			errs = append(errs, errors.New("TANMA_BASE_URL is set but TANMA_APP_ID and TANMA_APP_KEY are missing"))
		}
	case c.AppID == "":
		errs = append(errs, errors.New("TANMA_APP_KEY is set but TANMA_APP_ID is missing"))
	case c.AppKey == "":
		errs = append(errs, errors.New("TANMA_APP_ID is set but TANMA_APP_KEY is missing"))
	}
	if u := getenv("TANMA_BASE_URL"); u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			errs = append(errs, fmt.Errorf("TANMA_BASE_URL must be an absolute http(s) URL, got %q", u))
		}
		c.BaseURL = strings.TrimRight(u, "/")
	}
	c.QPS = float(getenv, "TANMA_QPS", tanma.DefaultQPS, &errs)
	c.Timeout = duration(getenv, "TANMA_TIMEOUT", tanma.DefaultTimeout, &errs)
	c.RequestTimeout = duration(getenv, "REQUEST_TIMEOUT", 30*time.Second, &errs)
	c.ReferenceTTL = duration(getenv, "REFERENCE_TTL", 5*time.Minute, &errs)
	c.MaxComplexity = positiveInt(getenv, "MAX_COMPLEXITY", 0, &errs) // 0: graph.DefaultComplexityLimit
	if l := getenv("LOG_LEVEL"); l != "" {
		if err := c.LogLevel.UnmarshalText([]byte(l)); err != nil {
			errs = append(errs, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, got %q", l))
		}
	}
	return c, errors.Join(errs...)
}

func float(getenv func(string) string, name string, def float64, errs *[]error) float64 {
	s := getenv(name)
	if s == "" {
		return def
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		*errs = append(*errs, fmt.Errorf("%s must be a non-negative number, got %q", name, s))
	}
	return f
}

func positiveInt(getenv func(string) string, name string, def int, errs *[]error) int {
	s := getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		*errs = append(*errs, fmt.Errorf("%s must be a positive integer, got %q", name, s))
	}
	return n
}

func duration(getenv func(string) string, name string, def time.Duration, errs *[]error) time.Duration {
	s := getenv(name)
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		*errs = append(*errs, fmt.Errorf("%s must be a positive duration such as 10s, got %q", name, s))
	}
	return d
}
