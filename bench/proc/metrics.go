package proc

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// metricsClient reads /metrics; short timeout, so a stuck gateway shows
// as a missing reading rather than a stuck tool.
var metricsClient = &http.Client{Timeout: 2 * time.Second}

// Metrics reads the sum of each named metric's samples (every label set)
// from base+"/metrics"; a name without samples is absent.
func Metrics(base string, names ...string) (map[string]float64, error) {
	lines, err := scrape(base)
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(names))
	for _, line := range lines {
		for _, name := range names {
			if strings.HasPrefix(line, name+"{") || strings.HasPrefix(line, name+" ") {
				if v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64); err == nil {
					out[name] += v
				}
			}
		}
	}
	return out, nil
}

// Series reads every sample of one metric from base+"/metrics", keyed by
// its label set as written ("" without labels).
func Series(base, name string) (map[string]float64, error) {
	lines, err := scrape(base)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, line := range lines {
		rest, ok := strings.CutPrefix(line, name)
		if !ok || (rest != "" && rest[0] != '{' && rest[0] != ' ') {
			continue
		}
		sp := strings.LastIndexByte(rest, ' ')
		if sp < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(rest[sp+1:], 64); err == nil {
			out[strings.TrimSpace(rest[:sp])] = v
		}
	}
	return out, nil
}

// scrape reads base+"/metrics" as lines.
func scrape(base string) ([]string, error) {
	resp, err := metricsClient.Get(base + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("/metrics answered %s", resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return strings.Split(string(b), "\n"), nil
}
