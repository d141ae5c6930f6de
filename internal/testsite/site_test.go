package testsite

import (
	"maps"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// newServer starts cfg's site on an httptest server closed at cleanup.
func newServer(t *testing.T, cfg Config) (*Site, *httptest.Server) {
	t.Helper()
	site, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	t.Cleanup(srv.Close)
	return site, srv
}

// TestServedGraphMatchesExpected crawls the served HTML breadth first with
// net/http and goquery and compares the URLs found, and their depths, with
// Expected, for several shapes of site and depths 0 to 5.
func TestServedGraphMatchesExpected(t *testing.T) {
	for _, cfg := range []Config{{}, {Pages: 40, Fanout: 2}, {Pages: 12, Fanout: 1}, {Pages: 30, Plain: true}} {
		for depth := 0; depth <= 5; depth++ {
			site, srv := newServer(t, cfg)
			want, err := site.Expected(depth)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := newTestCrawler(t, srv).crawl(depth)
			if !maps.Equal(got, want) {
				t.Errorf("%+v depth %d: served graph %v\nExpected %v", cfg, depth, got, want)
			}
			assertNeverFetched(t, site)
		}
	}
}

// assertNeverFetched checks that the crawl asked for no binary and no
// robots-disallowed path.
func assertNeverFetched(t *testing.T, site *Site) {
	t.Helper()
	for path, n := range site.RequestsPerPath() {
		if IsBinary(path) || Disallowed(path) {
			t.Errorf("%s requested %d times", path, n)
		}
	}
}

// TestInfoMatchesServedPages checks, for every page a deep crawl finds,
// that Info's status, final path, title, links and matches are what the
// handler served, the matches computed from the served HTML with goquery
// and regexp (on the text content and on the decoded source alike).
func TestInfoMatchesServedPages(t *testing.T) {
	_, srv := newServer(t, Config{Pages: 60, Fanout: 3})
	site, _ := New(Config{Pages: 60, Fanout: 3}) // fresh counters: Info needs none
	_, pages := newTestCrawler(t, srv).crawl(6)
	if len(pages) < 60 {
		t.Fatalf("crawl found only %d pages", len(pages))
	}
	for path, got := range pages {
		in, ok := site.Info(path)
		if !ok {
			t.Errorf("%s served but Info knows no such page", path)
			continue
		}
		if got.status != in.Status || got.final != in.FinalPath || got.title != in.Title {
			t.Errorf("%s: served %d %s %q; Info %d %s %q", path, got.status, got.final, got.title, in.Status, in.FinalPath, in.Title)
		}
		if !reflect.DeepEqual(got.links, in.Links) {
			t.Errorf("%s: served links %v; Info %v", path, got.links, in.Links)
		}
		wantRegex := map[string][]string{}
		for _, r := range Rules {
			if m, ok := in.Matches[r.Name]; ok && r.Kind == "regex" {
				wantRegex[r.Name] = m
			}
		}
		if !reflect.DeepEqual(got.matches, in.Matches) && !(len(got.matches) == 0 && len(in.Matches) == 0) {
			t.Errorf("%s: served matches %v; Info %v", path, got.matches, in.Matches)
		}
		if !reflect.DeepEqual(got.srcMatch, wantRegex) && !(len(got.srcMatch) == 0 && len(wantRegex) == 0) {
			t.Errorf("%s: regex on source %v; Info %v", path, got.srcMatch, wantRegex)
		}
	}
}

// TestPageMatchesKnownValues pins the documented values of one page, so
// that a change in the site that would silently change every expectation
// is noticed.
func TestPageMatchesKnownValues(t *testing.T) {
	site, _ := New(Config{})
	in, _ := site.Info("/page/7")
	want := map[string][]string{
		"email":   {"user7@example.test", "support@example.test"},
		"price":   {"7.99", "8.49"},
		"heading": {"Page 7"},
		"sku":     {"SKU-7", "SKU-7-B"},
		"author":  {"/author/2"},
	}
	if !reflect.DeepEqual(in.Matches, want) {
		t.Errorf("/page/7 matches %v, want %v", in.Matches, want)
	}
	if in.Title != "Page 7" || in.Status != 200 {
		t.Errorf("/page/7: %q %d", in.Title, in.Status)
	}
}

// TestDepthIsOrderIndependent checks the property the package doc
// promises: every link goes one layer down or to a page at depth <= 1, so
// no discovery order can give a page another depth.
func TestDepthIsOrderIndependent(t *testing.T) {
	for _, cfg := range []Config{{}, {Pages: 500, Fanout: 4}, {Pages: 20, Fanout: 1}, {Pages: 300, Plain: true}} {
		site, _ := New(cfg)
		depths, err := site.ExpectedIgnoringRobots(12)
		if err != nil {
			t.Fatal(err)
		}
		for path, d := range depths {
			in, _ := site.Info(path)
			for _, l := range in.Links {
				if ld, ok := depths[l]; ok && d < 12 && ld != d+1 && ld > 1 {
					t.Errorf("%+v: %s (depth %d) links %s (depth %d)", cfg, path, d, l, ld)
				}
			}
		}
	}
}

// TestExpectedShape checks what Expected holds and leaves out.
func TestExpectedShape(t *testing.T) {
	site, _ := New(Config{})
	if got, _ := site.Expected(0); !maps.Equal(got, map[string]int{"/": 0}) {
		t.Errorf("depth 0: %v", got)
	}
	exp, _ := site.Expected(4)
	for _, p := range []string{"/page/0", "/latin1", "/cp1252", "/busy", "/chain/3", "/trap/1", "/trap/3", "/big", "/author/4", "/missing/2", "/flaky/3", "/redirect/4"} {
		if _, ok := exp[p]; !ok {
			t.Errorf("Expected(4) lacks %s", p)
		}
	}
	for p := range exp {
		if IsBinary(p) || Disallowed(p) || p == "/landing" || strings.HasPrefix(p, "/chain/2") || p == "/trap/5" {
			t.Errorf("Expected(4) holds %s", p)
		}
	}
	ign, _ := site.ExpectedIgnoringRobots(4)
	if _, ok := ign["/private/0"]; !ok || len(ign) <= len(exp) {
		t.Errorf("ExpectedIgnoringRobots(4) lacks the private pages: %d vs %d", len(ign), len(exp))
	}
	if _, err := site.Expected(-1); err == nil {
		t.Error("Expected(-1) with a trap: no error")
	}
}

// TestLargePlainSite checks that a big site costs nothing up front and
// that an unlimited crawl of a plain site finds every page at its depth.
func TestLargePlainSite(t *testing.T) {
	big, _ := New(Config{Pages: 200000, Plain: true})
	if in, ok := big.Info("/page/199999"); !ok || in.Title != "Page 199999" {
		t.Errorf("/page/199999: %v %+v", ok, in)
	}
	if _, ok := big.Info("/page/200000"); ok {
		t.Error("/page/200000 exists")
	}
	site, _ := New(Config{Pages: 20000, Plain: true, Fanout: 3})
	exp, err := site.Expected(-1)
	if err != nil {
		t.Fatal(err)
	}
	if len(exp) != 1+20000+Authors {
		t.Errorf("Expected(-1) has %d paths, want %d", len(exp), 1+20000+Authors)
	}
	for _, n := range []int{0, 1, 3, 4, 12, 13, 19999} {
		if d := exp["/page/"+itoa(n)]; d != site.Depth(n) {
			t.Errorf("/page/%d at depth %d, Depth says %d", n, d, site.Depth(n))
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPathOf(t *testing.T) {
	for raw, want := range map[string]string{
		"http://127.0.0.1:1/page/3":            "/page/3",
		"http://127.0.0.1:1/img/photo.png?x=1": "/img/photo.png?x=1",
		"http://127.0.0.1:1":                   "",
	} {
		if got, err := PathOf(raw); err != nil || got != want {
			t.Errorf("PathOf(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	if _, err := PathOf("http://[::1"); err == nil {
		t.Error("PathOf of a malformed URL: no error")
	}
}
