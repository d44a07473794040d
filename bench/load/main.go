// Command load measures the gateway as users run it: it builds the gateway,
// starts the sandbox as its own process with a chosen latency, starts the
// gateway pointed at it as a real upstream (signed HTTP over loopback),
// drives concurrent clients with one query shape for a bounded time, and
// prints throughput, latency percentiles, errors, upstream calls per query,
// the gateway's CPU time per 1,000 queries and its peak memory. It touches
// only loopback and stops by itself. See bench/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/bench/proc"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run() error {
	shape := flag.String("shape", "dashboard", "query shape: dashboard, followups, deferred, fields, typed, ids, walk or aliases")
	latency := flag.Duration("latency", 0, "latency the sandbox adds to every upstream answer")
	upstreamErrors := flag.Float64("upstream-errors", 0, "fraction of upstream calls the sandbox answers with HTTP 500, e.g. 0.3")
	clients := flag.Int("clients", 50, "concurrent clients")
	duration := flag.Duration("duration", 20*time.Second, "how long to drive load (after a warm-up)")
	sample := flag.Duration("sample", 0, "sample the gateway's heap this often (0: not at all)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the gateway during the run to this file")
	withFloor := flag.Bool("floor", false, "then make the page's upstream call straight to the sandbox as long, and report the gateway's latency above it")
	var env envFlags
	flag.Var(&env, "env", "NAME=value for the gateway's environment (repeatable), e.g. -env GOGC=100")
	flag.Parse()
	q, ok := shapes[*shape]
	if !ok {
		return fmt.Errorf("unknown shape %q", *shape)
	}

	dir, err := os.MkdirTemp("", "gateway-load")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin, err := proc.Build(dir)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(context.Background(), *duration+2*time.Minute)
	defer cancel()
	sbAddr, gwAddr, pprofAddr := proc.FreeAddr(), proc.FreeAddr(), proc.FreeAddr()
	sb := exec.CommandContext(ctx, bin, "sandbox", "-addr", sbAddr, "-latency", latency.String(),
		"-error-rate", fmt.Sprint(*upstreamErrors))
	if err := sb.Start(); err != nil {
		return err
	}
	defer proc.Stop(sb)
	gw := exec.CommandContext(ctx, bin)
	gw.Env = append(os.Environ(),
		"PORT="+proc.Port(gwAddr),
		"TANMA_APP_ID="+loadAppID,
		"TANMA_APP_KEY="+loadAppKey,
		"TANMA_BASE_URL=http://"+sbAddr,
		"INSECURE_ALLOW_UNAUTHENTICATED=yes-expose-customer-data",
		"TANMA_QPS=0",              // measure the gateway, not the quota
		"CALLER_COST_PER_SECOND=0", // one load generator is one caller
		"PPROF_ADDR="+pprofAddr,
	)
	gw.Env = append(gw.Env, env...)
	if err := gw.Start(); err != nil {
		return err
	}
	defer proc.Stop(gw)
	base := "http://" + gwAddr
	if err := proc.WaitReady(base+"/healthz", 30*time.Second); err != nil {
		return err
	}

	d := &driver{url: base + "/query", client: &http.Client{Transport: &http.Transport{
		MaxIdleConns: *clients * 2, MaxIdleConnsPerHost: *clients * 2, IdleConnTimeout: time.Minute,
	}}}
	if err := d.warm(q); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	upstreamBefore, _ := upstreamCalls(base)
	cpuBefore, _ := proc.CPUSeconds(gw.Process.Pid)
	sbBefore, _ := proc.CPUSeconds(sb.Process.Pid)
	heap := startSampling(base, *sample)
	profiled := startProfile("http://"+pprofAddr, *profile, *duration)
	res := d.drive(q, *clients, *duration)
	if err := profiled(); err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	heapSeries := heap.stop()
	cpuAfter, _ := proc.CPUSeconds(gw.Process.Pid)
	sbAfter, _ := proc.CPUSeconds(sb.Process.Pid)
	upstreamAfter, _ := upstreamCalls(base)
	mem, _ := proc.ReadMemory(gw.Process.Pid)

	label := *shape + env.label()
	if *upstreamErrors > 0 {
		label += fmt.Sprintf(" upstream_errors=%g", *upstreamErrors)
	}
	report(label, *latency, *clients, res, upstreamAfter-upstreamBefore, cpuAfter-cpuBefore, sbAfter-sbBefore, mem.HWM, heapSeries, *sample)
	if *withFloor {
		reportFloor(res, floor(sbAddr, *clients, *duration))
	}
	return nil
}

// envFlags collects repeated -env NAME=value flags.
type envFlags []string

func (e *envFlags) String() string { return strings.Join(*e, " ") }

// label is how the report names the settings, empty without any.
func (e *envFlags) label() string {
	if len(*e) == 0 {
		return ""
	}
	return " env=" + e.String()
}

func (e *envFlags) Set(v string) error {
	if !strings.Contains(v, "=") {
		return fmt.Errorf("want NAME=value, got %q", v)
	}
	*e = append(*e, v)
	return nil
}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(sorted)-1))
	return sorted[i]
}

// result is what the clients saw.
type result struct {
	mu        sync.Mutex
	latencies []time.Duration
	// firstParts: how long each answer's first part took (shapes whose
	// client accepts multipart/mixed).
	firstParts []time.Duration
	queries    int // GraphQL requests
	errors     int
	partial    int            // failed answers that still carried data
	statuses   map[int]int    // HTTP status of failed answers (0: no answer)
	codes      map[string]int // extensions.code of their errors
	elapsed    time.Duration
}

// sort orders the latencies, for percentile.
func (r *result) sort() { slices.Sort(r.latencies) }

// add counts one answer: its latency, its first part's (first; negative:
// the shape is not answered in parts) and, when err says it failed, a.
func (r *result) add(lat, first time.Duration, a response, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries++
	r.latencies = append(r.latencies, lat)
	if first >= 0 {
		r.firstParts = append(r.firstParts, first)
	}
	if err != nil {
		r.failed(a)
	}
}

// failed counts one failed answer; the caller holds mu.
func (r *result) failed(a response) {
	r.errors++
	if r.statuses == nil {
		r.statuses, r.codes = map[int]int{}, map[string]int{}
	}
	r.statuses[a.status]++
	if a.partial() {
		r.partial++
	}
	for _, e := range a.Errors {
		r.codes[e.Extensions.Code]++
	}
}

func report(shape string, latency time.Duration, clients int, r *result, upstream, cpu, sandboxCPU float64, rssMB float64, heap []float64, every time.Duration) {
	r.sort()
	fmt.Printf("shape=%s upstream_latency=%s clients=%d duration=%s\n", shape, latency, clients, r.elapsed.Round(time.Millisecond))
	fmt.Printf("  requests      %d (%d errors)\n", r.queries, r.errors)
	if r.errors > 0 {
		fmt.Printf("  failed        %d partial (data beside errors), HTTP status %s, error codes %s\n",
			r.partial, counts(r.statuses), counts(r.codes))
	}
	fmt.Printf("  throughput    %.0f req/s\n", float64(r.queries)/r.elapsed.Seconds())
	fmt.Printf("  latency       p50 %s  p95 %s  p99 %s  max %s\n",
		ms(percentile(r.latencies, 50)), ms(percentile(r.latencies, 95)), ms(percentile(r.latencies, 99)), ms(percentile(r.latencies, 100)))
	if len(r.firstParts) > 0 {
		sort.Slice(r.firstParts, func(i, j int) bool { return r.firstParts[i] < r.firstParts[j] })
		fmt.Printf("  first part    p50 %s  p95 %s  p99 %s  max %s (latency above: the whole answer)\n",
			ms(percentile(r.firstParts, 50)), ms(percentile(r.firstParts, 95)), ms(percentile(r.firstParts, 99)), ms(percentile(r.firstParts, 100)))
	}
	if r.queries > 0 {
		fmt.Printf("  upstream      %.2f calls per query\n", upstream/float64(r.queries))
		fmt.Printf("  gateway CPU   %.3f s per 1,000 queries (%.3f ms per query)\n", cpu/float64(r.queries)*1000, cpu/float64(r.queries)*1000)
		// The sandbox shares the machine: its CPU is what the gateway's
		// latency waits behind when the cores are busy.
		fmt.Printf("  sandbox CPU   %.3f ms per query\n", sandboxCPU/float64(r.queries)*1000)
	}
	fmt.Printf("  peak RSS      %.1f MB\n", rssMB)
	if len(heap) > 0 {
		fmt.Printf("  heap in use   %s MB (every sample), trend %+.2f MB/min\n", series(heap), trend(heap, every.Seconds()))
	}
}

// counts prints a tally in key order: "200:12 503:3".
func counts[K int | string](m map[K]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%v:%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }
