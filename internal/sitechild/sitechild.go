// Package sitechild serves a synthetic test site (package testsite) from a
// child process, the test binary run again (package childtest), so that a
// benchmark that measures its own process's CPU does not count the site's.
// It is for tests only.
//
// A package's TestMain serves Role with Serve (childtest.Serve, after
// executor.Init where the binary is also a pool worker); a benchmark starts
// the site with Start.
package sitechild

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// Role is the childtest role that serves a site; its argument is the
// site's testsite.Config in JSON.
const Role = "sitechild"

// Serve is Role's function: it serves the site of the JSON testsite.Config
// arg on a free 127.0.0.1 port, prints the site's URL on a line of its
// standard output, and serves until its standard input ends (the parent
// closed it, or died), then exits 0 after at most closeGrace. A bad arg or
// a failure to listen exits 1 with the error on standard error.
func Serve(arg string) int {
	if err := serve(arg, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sitechild:", err)
		return 1
	}
	return 0
}

// serve serves the site until in ends, after printing its URL on out.
func serve(arg string, in io.Reader, out io.Writer) error {
	var cfg testsite.Config
	if err := json.Unmarshal([]byte(arg), &cfg); err != nil {
		return fmt.Errorf("bad config %q: %w", arg, err)
	}
	site, err := testsite.New(cfg)
	if err != nil {
		return err
	}
	srv, err := site.Start("")
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(out, srv.URL); err != nil {
		_ = srv.Close(context.Background())
		return err
	}
	_, _ = io.Copy(io.Discard, in)
	ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
	defer cancel()
	if err := srv.Close(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// closeGrace is how long the site, told to stop, waits for the requests it
// is answering before it closes every connection. Past it is no error: the
// parent is done with the site, and a connection a client opened but never
// used (net/http's Server.Shutdown would wait 5 s for it) is no reason to
// wait or fail.
const closeGrace = time.Second
