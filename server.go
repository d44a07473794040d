// Command gateway serves a typed GraphQL API over the Tanma (探马) SCRM
// customer API. With no configuration it serves the embedded sandbox's data;
// `gateway sandbox` serves the sandbox alone as a fake Tanma for other tools.
// Everything it does is internal/app's (see README, "Layout").
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/tanma-gql/gateway/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}
