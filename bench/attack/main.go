// Command attack runs an adversarial workload against the gateway as it
// runs in production: it builds the gateway, starts the sandbox as its own
// process (pushing its events to the gateway) and the gateway as another,
// with API keys, METRICS_ADDR and socket bounds small enough for the
// attack to cross them, then runs three phases and prints a table:
//
//  1. hostile HTTP: about 10,000 requests over ~30 categories of bad input
//     at /query and /schema.graphql from concurrent workers, plus a few
//     slow connections (hostilecases.go, slow.go);
//  2. socket flood: 1,000 graphql-transport-ws connections opened as fast
//     as possible, each subscribing once, held, then closed; beside them
//     connections that never initialise, connections past
//     MAX_SOCKETS_PER_CALLER and MAX_SOCKETS_PER_ADDRESS, and raw-frame
//     abuse (sockets.go, flood.go, abuse.go);
//  3. push burst: 500 signed pushes in one second to TANMA_EVENTS_PATH
//     with 50 subscribers, then forged and malformed pushes (push.go);
//  4. only with -retention n: n new documents of 900 KiB that validate,
//     to measure what the gateway's query cache keeps (retention.go).
//
// For each phase it reports what was sent, the outcomes by HTTP status and
// close code, the HTTP 5xx (there must be none), timeouts, and the
// gateway's RSS (/proc/<pid>/status) and goroutines (go_goroutines from
// /metrics on METRICS_ADDR) before the phase, at its peak (sampled every
// 100 ms) and after a settle period. It touches only loopback (the
// connections come from 127.0.0.2 to 127.0.0.9) and stops by itself. See
// bench/README.md, "Attack runs".
//
//	go run ./bench/attack
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "attack:", err)
		os.Exit(1)
	}
}

func run() error {
	requests := flag.Int("requests", 10000, "hostile HTTP requests (phase 1)")
	workers := flag.Int("workers", 16, "concurrent workers of phase 1")
	sockets := flag.Int("sockets", 1000, "valid WebSocket connections of the flood (phase 2); at most 2 × MAX_SOCKETS_PER_CALLER")
	noInit := flag.Int("no-init", 100, "connections that never send connection_init (phase 2)")
	hold := flag.Duration("hold", 3*time.Second, "how long the flood is held once open, at least (the sets past the bounds and the abuse run meanwhile: about 7 s)")
	pushes := flag.Int("pushes", 500, "signed pushes of the burst, sent over one second (phase 3)")
	subscribers := flag.Int("subscribers", 50, "subscribers during the burst")
	settle := flag.Duration("settle", 5*time.Second, "wait after each phase before its 'after' reading")
	retention := flag.Int("retention", 0, "run phase 4: this many new 900 KiB documents the query cache keeps (0: not at all; see retention.go)")
	keep := flag.Bool("keep", false, "keep the gateway's and the sandbox's logs (their directory is printed)")
	flag.Parse()
	if *sockets > 2*perCaller {
		return fmt.Errorf("-sockets %d: the flood has two keys of %d connections", *sockets, perCaller)
	}

	dir, err := os.MkdirTemp("", "gateway-attack")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Fprintln(os.Stderr, "logs in", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	began := time.Now()
	t, err := start(ctx, dir, nil)
	if err != nil {
		return err
	}
	defer t.stop()
	if err := warm(t.base); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}

	var phases []*phase
	steps := []struct {
		name string
		run  func(p *phase) error
	}{
		{"1. hostile HTTP", func(p *phase) error { return runHTTP(t, p, *requests, *workers) }},
		{"2. socket flood", func(p *phase) error { return runSockets(ctx, t, p, *sockets, *noInit, *hold) }},
		{"3. push burst", func(p *phase) error { return runPushes(ctx, t, p, *pushes, *subscribers) }},
	}
	if *retention > 0 {
		steps = append(steps, struct {
			name string
			run  func(p *phase) error
		}{"4. query-cache retention", func(p *phase) error { return runRetention(t, p, *retention) }})
	}
	for _, s := range steps {
		fmt.Fprintf(os.Stderr, "%s...\n", s.name)
		p, err := measure(t, s.name, *settle, s.run)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		phases = append(phases, p)
	}
	logs := scanLog(t.logPath)
	failed := report(os.Stdout, phases, time.Since(began))
	fmt.Printf("\nGateway log: %s\n", logs)
	if failed > 0 {
		return fmt.Errorf("%d checks failed (the report above says which)", failed)
	}
	return nil
}
