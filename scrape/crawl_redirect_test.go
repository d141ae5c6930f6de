package scrape

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// redirectSite is a small handler for redirect cases, served under two
// loopback names (127.0.0.1 and localhost): it counts requests by host and
// path.
type redirectSite struct {
	port string
	mu   sync.Mutex
	hits map[string]int // "host/path" → requests
}

func (s *redirectSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.Host+r.URL.Path]++
	s.mu.Unlock()
	other := "http://localhost:" + s.port
	switch r.URL.Path {
	case "/robots.txt":
		http.NotFound(w, r)
	case "/start": // a start URL moving to the other host name
		http.Redirect(w, r, other+"/home", http.StatusMovedPermanently)
	case "/home":
		fmt.Fprint(w, `<title>Home</title><a href="/a">a</a><a href="/self">self</a><a href="/loop1">loop</a>`)
	case "/self":
		http.Redirect(w, r, "/self", http.StatusFound)
	case "/loop1":
		http.Redirect(w, r, "/loop2", http.StatusFound)
	case "/loop2":
		http.Redirect(w, r, "/loop1", http.StatusFound)
	case "/moved": // a linked page moving to the other host name: off scope
		http.Redirect(w, r, other+"/b", http.StatusFound)
	default:
		fmt.Fprintf(w, `<title>%s</title><a href="/moved">moved</a>`, r.URL.Path)
	}
}

func (s *redirectSite) count(hostPath string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[hostPath]
}

func newRedirectSite(t *testing.T) (*redirectSite, *httptest.Server) {
	t.Helper()
	site := &redirectSite{hits: map[string]int{}}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	site.port = srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	return site, srv
}

// TestCrawlRedirectLoops: a page redirecting to itself is asked at most
// twice (the cookie round trip), not once per allowed hop; a two-page loop
// ends too; each gets one 3xx record.
func TestCrawlRedirectLoops(t *testing.T) {
	site, srv := newRedirectSite(t)
	out, _ := crawl(t, srv, Config{Depth: 1, Starts: []string{"http://localhost:" + site.port + "/home"}})
	got := out.byPath(t)
	host := "localhost:" + site.port
	if n := site.count(host + "/self"); n > 2 {
		t.Errorf("/self (redirecting to itself) requested %d times, want at most 2", n)
	}
	if n := site.count(host + "/loop1"); n > 2 {
		t.Errorf("/loop1 requested %d times, want at most 2", n)
	}
	for _, p := range []string{"/self", "/loop1"} {
		if rec, ok := got[p]; !ok || rec.Status != http.StatusFound {
			t.Errorf("%s: %+v, want one 302 record", p, rec)
		}
	}
}

// TestCrawlStartRedirectWidensScope: a start URL that redirects to another
// host (as http://example.com/ to https://www.example.com/ does) is
// followed, and the crawl goes on on the new host; a later page's redirect
// to another host stays off scope.
func TestCrawlStartRedirectWidensScope(t *testing.T) {
	site, srv := newRedirectSite(t)
	out, stats := crawl(t, srv, Config{Depth: 2, Starts: []string{srv.URL + "/start"}})
	got := out.byPath(t)
	start := got["/start"]
	if start.Status != 200 || start.Title != "Home" || !strings.HasPrefix(start.FinalURL, "http://localhost:") {
		t.Fatalf("/start: %+v, want the 200 of localhost's /home", start)
	}
	if rec, ok := got["/a"]; !ok || !strings.HasPrefix(rec.URL, "http://localhost:") || rec.Status != 200 {
		t.Errorf("/a on the redirect target's host: %+v, want a 200 record", rec)
	}
	if n := site.count("localhost:" + site.port + "/home"); n != 1 {
		t.Errorf("/home requested %d times, want 1", n)
	}
	if stats.StartFailed != 0 {
		t.Errorf("stats.StartFailed = %d", stats.StartFailed)
	}

	// Without a start URL's redirect, the other host stays off scope.
	site2, srv2 := newRedirectSite(t)
	out2, _ := crawl(t, srv2, Config{Depth: 2, Starts: []string{srv2.URL + "/x"}})
	if rec := out2.byPath(t)["/moved"]; rec.Status != http.StatusFound {
		t.Errorf("/moved: %+v, want its 302 (target off scope)", rec)
	}
	if n := site2.count("localhost:" + site2.port + "/b"); n != 0 {
		t.Errorf("off-scope redirect target requested %d times", n)
	}
}

// TestFilterWiden: Widen adds a host to host scope, but never one that
// --deny rejects.
func TestFilterWiden(t *testing.T) {
	f := newLinkFilter(ScopeHost, []string{"http://example.com/"}, nil, []*regexp.Regexp{regexp.MustCompile(`denied\.test`)})
	if f.Check("http://www.example.com/a") != linkOffScope {
		t.Fatal("www.example.com in host scope before Widen")
	}
	if !f.Widen("https://www.example.com/") || f.Check("http://www.example.com/a") != linkFollowed {
		t.Error("Widen did not add www.example.com")
	}
	if f.Widen("https://www.example.com/b") {
		t.Error("Widen reported growth for a host already in scope")
	}
	if f.Widen("http://denied.test/") || f.Check("http://denied.test/x") != linkOffScope {
		t.Error("Widen added a host that --deny rejects")
	}
}
