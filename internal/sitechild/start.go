package sitechild

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/internal/testsite"
)

// Site is a site served by a child process.
type Site struct {
	// URL is the site's base URL, "http://127.0.0.1:PORT" (no slash).
	URL string

	cmd   *exec.Cmd
	stdin io.WriteCloser
	once  sync.Once
	err   error
}

// Start starts a child process serving the site of cfg and returns it once
// the child listens. The child is stopped (Stop) when the test or
// benchmark ends; it also ends by itself should this process die.
func Start(tb testing.TB, cfg testsite.Config) *Site {
	tb.Helper()
	arg, err := json.Marshal(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := childtest.Command(Role, string(arg))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("sitechild: start the child: %v", err)
	}
	s := &Site{cmd: cmd, stdin: stdin}
	tb.Cleanup(func() {
		if err := s.Stop(); err != nil {
			tb.Errorf("sitechild: the child serving %s: %v", s.URL, err)
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		tb.Fatalf("sitechild: the child said %q, then: %v", line, err)
	}
	s.URL = strings.TrimSuffix(line, "\n")
	return s
}

// Stop closes the child's standard input, which ends it, and waits for it
// to exit; it returns what exec.Cmd.Wait does, and the same when called
// again.
func (s *Site) Stop() error {
	s.once.Do(func() {
		_ = s.stdin.Close()
		s.err = s.cmd.Wait()
	})
	return s.err
}
