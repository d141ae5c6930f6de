package scrape

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

// TestCrawlHeaderUserAgentIsTheRobotsAgent: a User-Agent in Header (under
// any spelling of the name) is the one sent and the one robots.txt is obeyed
// for: its group's Disallow holds, though Config.UserAgent's (the default)
// would be allowed everything.
func TestCrawlHeaderUserAgentIsTheRobotsAgent(t *testing.T) {
	for _, name := range []string{"User-Agent", "user-agent"} {
		t.Run(name, func(t *testing.T) {
			site := &hostile.AgentRobots{}
			srv := httptest.NewServer(site)
			defer srv.Close()
			_, stats := crawl(t, srv, Config{Depth: 1, RequestOptions: RequestOptions{Header: http.Header{name: {"MyBot/1.0"}}}})
			seen := site.Requests()
			if seen["/private"] != nil {
				t.Errorf("/private, disallowed to MyBot, was fetched")
			}
			if seen["/public"] == nil || stats.RobotsBlocked != 1 {
				t.Errorf("/public fetched %v, robots-blocked %d; want fetched, 1", seen["/public"] != nil, stats.RobotsBlocked)
			}
			for path, uas := range seen {
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
