package main

import (
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

// TestCrawlHeaderUserAgent: -H 'User-Agent: X' is the agent robots.txt is
// obeyed for, as it is the one sent (a robots.txt disallowing /private to
// MyBot only keeps -H 'User-Agent: MyBot/1.0' out of it), alone or with an
// equal --user-agent; given twice, empty, or with another --user-agent, it
// is refused with exit 2 before any request.
func TestCrawlHeaderUserAgent(t *testing.T) {
	bin := crawlBin(t)
	for _, extra := range [][]string{nil, {"--user-agent", "MyBot/1.0"}} {
		site := &hostile.AgentRobots{}
		srv := httptest.NewServer(site)
		args := append([]string{"crawl", "-q", "-d", "1", "-o", os.DevNull, "--format", "jsonl", "-H", "User-Agent: MyBot/1.0"}, extra...)
		code, stderr := crawlRun(t, bin, "", append(args, srv.URL+"/")...)
		srv.Close()
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, stderr)
		}
		got := site.Requests()
		if got["/private"] != nil || got["/public"] == nil {
			t.Errorf("%q: requests %v; want /public, not /private (disallowed to MyBot)", args, got)
		}
		for path, uas := range got {
			if !slices.Equal(uas, []string{"MyBot/1.0"}) {
				t.Errorf("%q: %s sent with User-Agent %q, want [MyBot/1.0]", args, path, uas)
			}
		}
	}
	site := &hostile.AgentRobots{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"-H", "User-Agent: MyBot/1.0", "--user-agent", "Other/2"}, []string{"--header", "--user-agent", "Other/2", "MyBot/1.0"}},
		{[]string{"-H", "User-Agent: MyBot/1.0", "-H", "user-agent: B"}, []string{"--header", "User-Agent", "2 times"}},
		{[]string{"-H", "User-Agent:"}, []string{"--header", "User-Agent", "empty"}},
	} {
		code, stderr := crawlRun(t, bin, "", append(append([]string{"crawl", "-q", "-o", os.DevNull, "--format", "jsonl"}, c.args...), srv.URL+"/")...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2; stderr %q", c.args, code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%q: stderr %q does not say %q", c.args, stderr, w)
			}
		}
	}
	if got := site.Requests(); len(got) != 0 {
		t.Errorf("refused crawls made requests: %v", got)
	}
}
