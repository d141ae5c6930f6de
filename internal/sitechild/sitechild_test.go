package sitechild

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/internal/testsite"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	childtest.Serve(map[string]func(string) int{Role: Serve})
	goleak.VerifyTestMain(m)
}

// TestStartServesTheSite: the child serves the site of the config it was
// given (a page beyond the default 50 exists, one beyond Pages does not),
// and Stop ends it with exit status 0.
func TestStartServesTheSite(t *testing.T) {
	s := Start(t, testsite.Config{Pages: 80, Plain: true})
	defer http.DefaultClient.CloseIdleConnections()
	if code, body := get(t, s.URL+"/page/79"); code != http.StatusOK || !strings.Contains(body, "<a") {
		t.Errorf("/page/79: %d %q", code, body)
	}
	if code, _ := get(t, s.URL+"/page/80"); code != http.StatusNotFound {
		t.Errorf("/page/80: %d, want 404", code)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("Stop again: %v", err)
	}
}

// TestServeBadConfig: a child given a config that is not JSON exits 1.
func TestServeBadConfig(t *testing.T) {
	err := childtest.Command(Role, "{pages").Run()
	if code := exitCode(err); code != 1 {
		t.Errorf("exit code %d (%v), want 1", code, err)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// exitCode is the exit code in err from exec.Cmd.Run, 0 for nil, -1 for
// an error that is no exit.
func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return -1
}

// TestStopWithAnUnusedConnection: a connection a client opened and never
// sent a request on (net/http's Transport leaves such spares) does not
// keep the child from exiting 0 when stopped.
func TestStopWithAnUnusedConnection(t *testing.T) {
	s := Start(t, testsite.Config{Plain: true})
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := s.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
}
