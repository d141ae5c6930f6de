package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/spf13/cobra"
)

// version is the release, set at build time with
// -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// usageError marks an error in the command line: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usageErrorf returns a usageError with a formatted message.
func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitError carries an exit status other than 0, 1 or 2 (130 after an
// interrupt), or 1 with a message already printed.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "poolscrape",
		Short: "A concurrent crawler and TCP echo server on goroutine and process pools",
		Long: `poolscrape crawls web sites concurrently and serves TCP echo, both on the
executor package's goroutine pool and worker-process pool.

Project: ` + scrape.ProjectURL,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	for _, add := range subcommands {
		root.AddCommand(add())
	}
	registerCompletions(root)
	return root
}

// subcommands are added to the root command; each file that defines a
// command registers its constructor here from an init function.
var subcommands []func() *cobra.Command

// run executes the command line and returns the process exit status.
func run(args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "poolscrape:", userMessage(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintln(os.Stderr, "poolscrape:", userMessage(err.Error()))
	var ue usageError
	if errors.As(err, &ue) || isCobraUsageError(err) {
		return 2
	}
	return 1
}

// isCobraUsageError recognises cobra's own command-line errors (unknown
// command, wrong number of arguments), which it does not type: plain errors,
// wrapping nothing, whose text starts as cobra's do.
func isCobraUsageError(err error) bool {
	if errors.Unwrap(err) != nil {
		return false
	}
	msg := err.Error()
	for _, p := range []string{"unknown command ", "unknown flag: ", "unknown shorthand flag: ", "accepts ", "requires at least ", "requires at most ", "invalid argument "} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// packagePrefix matches the "scrape: "-style prefixes the library
// packages give their errors: Go's convention, noise to a person, who ran
// poolscrape and not a package.
var packagePrefix = regexp.MustCompile(`\b(scrape|output|redisfrontier|diskfrontier|resume|record|executor|echo): `)

// userMessage is msg without the library packages' prefixes, wherever
// wrapping put them.
func userMessage(msg string) string { return packagePrefix.ReplaceAllString(msg, "") }
