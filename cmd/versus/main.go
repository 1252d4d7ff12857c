// Command versus serves the versus web site and checks its articles.
//
//	versus [serve] [flags]   serve the site (the default)
//	versus check [DIR]       check every article, print each problem as file:line
//	                         (-max-article-size caps each file, 2MiB by default)
//	versus version           print the version, commit and Go version
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}
