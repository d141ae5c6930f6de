package scrape

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

// logSite serves fixed bodies by path (404 otherwise) and keeps every
// request it got.
type logSite struct {
	pages map[string]string // path -> HTML (or robots.txt, XML)
	mu    sync.Mutex
	reqs  []*http.Request
}

func (s *logSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.reqs = append(s.reqs, r.Clone(context.Background()))
	s.mu.Unlock()
	body, ok := s.pages[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if strings.HasSuffix(r.URL.Path, ".txt") {
		w.Header().Set("Content-Type", "text/plain")
	} else if !strings.HasSuffix(r.URL.Path, ".xml") {
		w.Header().Set("Content-Type", "text/html")
	}
	_, _ = w.Write([]byte(body))
}

// requests returns the requests received, by path.
func (s *logSite) requests() map[string][]*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]*http.Request{}
	for _, r := range s.reqs {
		out[r.URL.Path] = append(out[r.URL.Path], r)
	}
	return out
}

func (s *logSite) all() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.reqs...)
}

// twoPageSite links / to /a; robots.txt allows all and names a sitemap.
func twoPageSite() *logSite {
	return &logSite{pages: map[string]string{
		"/":           `<html><a href="/a">a</a></html>`,
		"/a":          `<html>a</html>`,
		"/robots.txt": "User-agent: *\nAllow: /\n",
	}}
}

// TestCrawlHeaderOnEveryRequest: Config.Header reaches pages, robots.txt and
// sitemaps; a User-Agent in it wins over Config.UserAgent.
func TestCrawlHeaderOnEveryRequest(t *testing.T) {
	site := twoPageSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	h := http.Header{"X-Crawl-Test": {"yes"}, "User-Agent": {"custom/1"}}
	crawl(t, srv, Config{Depth: 2, Rules: []Rule{}, RequestOptions: RequestOptions{Header: h, Sitemaps: true}})
	got := site.requests()
	for _, p := range []string{"/", "/a", "/robots.txt", "/sitemap.xml"} {
		if len(got[p]) == 0 {
			t.Fatalf("%s not requested", p)
		}
		for _, r := range got[p] {
			if r.Header.Get("X-Crawl-Test") != "yes" || r.Header.Get("User-Agent") != "custom/1" {
				t.Errorf("%s: headers %v", p, r.Header)
			}
		}
	}
}

// TestCrawlBadHeaderIsConfigError: a header with a newline never leaves New.
func TestCrawlBadHeaderIsConfigError(t *testing.T) {
	for _, h := range []http.Header{{"X-A": {"a\r\nX-Evil: 1"}}, {"Bad Name": {"v"}}, {"X-A": {"a\nb"}}} {
		_, err := New(Config{Starts: []string{"http://127.0.0.1/"}, Output: &collect{}, RequestOptions: RequestOptions{Header: h}})
		if err == nil || !strings.Contains(err.Error(), "header") {
			t.Errorf("header %q: New gave %v, want an ErrConfig about the header", h, err)
		}
	}
}

// TestCrawlUserCookies: the user's cookies go with every request to the
// host, robots.txt included, next to the server's own cookies, and a
// server cookie of the same name does not replace them.
func TestCrawlUserCookies(t *testing.T) {
	site := twoPageSite()
	setter := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "server", Value: "s1", Path: "/"})
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "overwritten", Path: "/"})
		site.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(setter)
	defer srv.Close()
	cookies := []*http.Cookie{{Name: "session", Value: "abc"}, {Name: "lang", Value: "de"}}
	crawl(t, srv, Config{Depth: 1, Concurrency: 1, Rules: []Rule{}, RequestOptions: RequestOptions{Cookies: cookies}})
	got := site.requests()
	for _, p := range []string{"/robots.txt", "/", "/a"} {
		if len(got[p]) != 1 {
			t.Fatalf("%s requested %d times", p, len(got[p]))
		}
		r := got[p][0]
		if c, err := r.Cookie("session"); err != nil || c.Value != "abc" || len(r.CookiesNamed("session")) != 1 {
			t.Errorf("%s: Cookie %q, want session=abc once", p, r.Header.Get("Cookie"))
		}
		if c, err := r.Cookie("lang"); err != nil || c.Value != "de" {
			t.Errorf("%s: Cookie %q, want lang=de", p, r.Header.Get("Cookie"))
		}
	}
	if c, err := got["/a"][0].Cookie("server"); err != nil || c.Value != "s1" {
		t.Errorf("/a: Cookie %q, want the server's cookie back too", got["/a"][0].Header.Get("Cookie"))
	}
}

// TestCrawlStartURLCredentials: credentials in the start URL are sent as
// basic auth (a password with a colon whole) to every request to the host,
// robots.txt included, and appear in no record.
func TestCrawlStartURLCredentials(t *testing.T) {
	site := twoPageSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	u.User = url.UserPassword("ann", "se:cr%et")
	out, _ := crawl(t, srv, Config{Starts: []string{u.String() + "/"}, Depth: 1, Rules: []Rule{}})
	for _, r := range site.all() {
		user, pw, ok := r.BasicAuth()
		if !ok || user != "ann" || pw != "se:cr%et" {
			t.Errorf("%s: basic auth %q %q %v", r.URL.Path, user, pw, ok)
		}
	}
	if len(site.all()) != 3 {
		t.Errorf("%d requests, want 3 (robots.txt, /, /a)", len(site.all()))
	}
	for _, r := range out.recs {
		for _, s := range append([]string{r.URL, r.FinalURL, r.Referrer}, r.Links...) {
			if strings.Contains(s, "ann") || strings.Contains(s, "se:cr") {
				t.Errorf("record shows the credentials: %q", s)
			}
		}
	}
}

// TestCrawlCredentialsNotSentOffScope: a start URL's redirect to another
// host is followed (that host joins the scope), but neither the basic
// auth nor the user's cookies go there.
func TestCrawlCredentialsNotSentOffScope(t *testing.T) {
	other := twoPageSite()
	osrv := httptest.NewServer(other)
	defer osrv.Close()
	start := &logSite{pages: map[string]string{"/robots.txt": ""}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			start.ServeHTTP(httptest.NewRecorder(), r) // logged
			http.Redirect(w, r, osrv.URL+"/", http.StatusFound)
			return
		}
		start.ServeHTTP(w, r)
	}))
	defer srv.Close()
	opts := RequestOptions{BasicAuth: url.UserPassword("ann", "pw"), Cookies: []*http.Cookie{{Name: "k", Value: "v"}}}
	out, _ := crawl(t, srv, Config{Depth: 1, Rules: []Rule{}, RequestOptions: opts})
	if len(start.requests()["/"]) != 1 {
		t.Fatalf("start host got %v", start.requests())
	}
	if _, _, ok := start.requests()["/"][0].BasicAuth(); !ok {
		t.Fatal("the start URL got no basic auth")
	}
	if len(other.requests()["/"]) == 0 || len(out.recs) == 0 {
		t.Fatalf("redirect target not fetched; records %+v", out.recs)
	}
	for _, r := range other.all() {
		if r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" {
			t.Errorf("%s on the other host got Authorization %q, Cookie %q", r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Cookie"))
		}
	}
}

// TestCrawlUserCookiesSurviveFlood: a server flooding the jar (20 cookies
// of 4 KB a page) evicts none of the user's cookies: every page gets them.
func TestCrawlUserCookiesSurviveFlood(t *testing.T) {
	flood := &hostile.CookieFlood{Pages: 20, PerPage: 20, Size: 4000}
	srv := httptest.NewServer(flood)
	defer srv.Close()
	opts := RequestOptions{Cookies: []*http.Cookie{{Name: "mine", Value: "keep"}}}
	crawl(t, srv, Config{Starts: []string{srv.URL + "/flood/0"}, Depth: -1, IgnoreRobots: true, Concurrency: 1, Rules: []Rule{}, RequestOptions: opts})
	for n := 0; n < flood.Pages; n++ {
		h, ok := flood.Received(n)
		if !ok || !strings.HasPrefix(h, "mine=keep") {
			t.Errorf("page %d: Cookie %.80q, want mine=keep first", n, h)
		}
	}
}
