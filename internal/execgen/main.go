// Command execgen generates the GraphQL executor of graph/ (`go generate
// ./...` runs it): gqlgen, configured by gqlgen.yml, plus the gateway's
// plugin that keeps goroutines for what may wait on I/O and runs everything
// else inline (see inlinePlugin). gqlgen allocates a goroutine for every
// element of every list of objects and for every field bound to a method
// that takes a context; for a page of 50 customers with 18 typed fields
// each, that was about a thousand goroutines whose stacks, scheduling and
// garbage cost most of the page's CPU (bench/README.md).
//
// With EXECGEN_PLAIN=1 it writes gqlgen's plain output instead, without
// the plugin: CI runs the test suite on it (.ci/run), which shows that the
// shaping changes speed only, the wait for a deferred part aside (see
// receive.go; its test skips there).
package main

import (
	"fmt"
	"os"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen/config"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "execgen:", err)
		os.Exit(1)
	}
}

// plainEnv names the environment variable that, set to 1, makes execgen
// write gqlgen's plain output.
const plainEnv = "EXECGEN_PLAIN"

func run() error {
	plain, err := plainOutput(os.Getenv(plainEnv))
	if err != nil {
		return err
	}
	cfg, err := config.LoadConfigFromDefaultLocations() // enters gqlgen.yml's directory
	if err != nil {
		return err
	}
	if plain {
		return api.Generate(cfg)
	}
	p := &inlinePlugin{}
	if err := api.Generate(cfg, api.AddPlugin(p)); err != nil {
		return err
	}
	src, err := os.ReadFile(cfg.Exec.Filename)
	if err != nil {
		return err
	}
	out, err := rewrite(src, p.plan)
	if err != nil {
		return err
	}
	return os.WriteFile(cfg.Exec.Filename, out, 0o644)
}

// plainOutput reads plainEnv's value: unset, empty or 0 shape the
// executor, 1 asks for gqlgen's plain output; anything else is refused
// rather than guessed.
func plainOutput(v string) (bool, error) {
	switch v {
	case "", "0":
		return false, nil
	case "1":
		return true, nil
	default:
		return false, fmt.Errorf("%s=%q: want 1 (gqlgen's plain output) or 0", plainEnv, v)
	}
}
