package scrape

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
)

// agentSite serves a robots.txt that disallows /private to MyBot only, and
// a / linking to /private and /public; it records each request's path and
// User-Agent.
type agentSite struct {
	mu   sync.Mutex
	seen map[string][]string // path → User-Agents
}

func (s *agentSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.seen == nil {
		s.seen = map[string][]string{}
	}
	s.seen[r.URL.Path] = append(s.seen[r.URL.Path], r.Header.Values("User-Agent")...)
	s.mu.Unlock()
	switch r.URL.Path {
	case "/robots.txt":
		fmt.Fprint(w, "User-agent: MyBot\nDisallow: /private\n\nUser-agent: *\nAllow: /\n")
	case "/":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<a href="/private">p</a> <a href="/public">q</a>`)
	default:
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<title>x</title>")
	}
}

// TestCrawlHeaderUserAgentIsTheRobotsAgent: a User-Agent in Header (under
// any spelling of the name) is the one sent and the one robots.txt is obeyed
// for: its group's Disallow holds, though Config.UserAgent's (the default)
// would be allowed everything.
func TestCrawlHeaderUserAgentIsTheRobotsAgent(t *testing.T) {
	for _, name := range []string{"User-Agent", "user-agent"} {
		t.Run(name, func(t *testing.T) {
			site := &agentSite{}
			srv := httptest.NewServer(site)
			defer srv.Close()
			_, stats := crawl(t, srv, Config{Depth: 1, RequestOptions: RequestOptions{Header: http.Header{name: {"MyBot/1.0"}}}})
			site.mu.Lock()
			defer site.mu.Unlock()
			if site.seen["/private"] != nil {
				t.Errorf("/private, disallowed to MyBot, was fetched")
			}
			if site.seen["/public"] == nil || stats.RobotsBlocked != 1 {
				t.Errorf("/public fetched %v, robots-blocked %d; want fetched, 1", site.seen["/public"] != nil, stats.RobotsBlocked)
			}
			for path, uas := range site.seen {
				if !slices.Equal(uas, []string{"MyBot/1.0"}) {
					t.Errorf("%s sent with User-Agent %q, want [MyBot/1.0]", path, uas)
				}
			}
		})
	}
}

// TestHeaderUserAgentMustBeOne: two User-Agent values, or an empty one, are
// an ErrConfig.
func TestHeaderUserAgentMustBeOne(t *testing.T) {
	for _, h := range []http.Header{
		{"User-Agent": {"a", "b"}},
		{"User-Agent": {"a"}, "user-agent": {"b"}},
		{"User-Agent": {" "}},
	} {
		_, err := New(Config{Starts: []string{"http://a.test/"}, Output: &collect{}, RequestOptions: RequestOptions{Header: h}})
		if !errors.Is(err, ErrConfig) {
			t.Errorf("Header %v: New = %v, want ErrConfig", h, err)
		}
	}
}
