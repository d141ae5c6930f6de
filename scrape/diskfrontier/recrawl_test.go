package diskfrontier

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
	"github.com/poolscrape/poolscrape/scrape/resume"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// page is one page of a conditionalSite.
type page struct {
	links        []string
	etag         string
	lastModified time.Time // zero: no Last-Modified
}

// conditionalSite serves pages with ETag and Last-Modified, answers
// If-None-Match and If-Modified-Since with 304, and logs each request's
// headers by path.
type conditionalSite struct {
	mu    sync.Mutex
	pages map[string]page
	log   map[string][]http.Header
}

func (s *conditionalSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p, ok := s.pages[r.URL.Path]
	s.log[r.URL.Path] = append(s.log[r.URL.Path], r.Header.Clone())
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if p.etag != "" {
		w.Header().Set("ETag", p.etag)
	}
	if !p.lastModified.IsZero() {
		w.Header().Set("Last-Modified", p.lastModified.UTC().Format(http.TimeFormat))
	}
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
	since, err := http.ParseTime(ims)
	if (p.etag != "" && inm == p.etag) || (inm == "" && err == nil && !p.lastModified.IsZero() && !p.lastModified.After(since)) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<html><head><title>%s</title></head><body>", r.URL.Path)
	for _, l := range p.links {
		fmt.Fprintf(w, `<a href="%s">%s</a> `, l, l)
	}
	fmt.Fprint(w, "</body></html>")
}

func (s *conditionalSite) set(path string, p page) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = p
}

func (s *conditionalSite) remove(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pages, path)
}

// takeLog returns the headers logged so far by path, and clears the log.
func (s *conditionalSite) takeLog() map[string][]http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.log
	s.log = map[string][]http.Header{}
	return l
}

// crawlPass crawls srv with the state in dir as one pass (a recrawl when
// recrawl is true: StartPass first) and returns the records and stats.
func crawlPass(t *testing.T, srv *httptest.Server, dir string, recrawl bool) (map[string]record.Record, scrape.Stats) {
	t.Helper()
	return crawlPassWARC(t, srv, dir, recrawl, nil)
}

// crawlPassWARC is crawlPass archiving into archive (nil: none).
func crawlPassWARC(t *testing.T, srv *httptest.Server, dir string, recrawl bool, archive *warc.Writer) (map[string]record.Record, scrape.Stats) {
	t.Helper()
	recs, st := runPass(t, dir, testID, recrawl, scrape.Config{Starts: []string{srv.URL + "/"}, Depth: -1, Concurrency: 4,
		IgnoreRobots: true, Archive: archive})
	return byPath(srv, recs), st
}

// runPass crawls with cfg over the state in dir (opened with identity id),
// as a new pass of a recrawl if recrawl, and returns its records in the
// order written and its stats. It sets cfg's Frontier, Pages and Output.
func runPass(t *testing.T, dir string, id resume.Identity, recrawl bool, cfg scrape.Config) ([]record.Record, scrape.Stats) {
	t.Helper()
	ctx := context.Background()
	f, err := Open(dir, id, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(ctx)
	if recrawl {
		if _, err := f.StartPass(ctx); err != nil {
			t.Fatal(err)
		}
	}
	out := &records{}
	cfg.Frontier, cfg.Pages, cfg.Output = f, f, out
	c, err := scrape.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return out.recs, st
}

// byPath keys records by their URL's path on srv.
func byPath(srv *httptest.Server, recs []record.Record) map[string]record.Record {
	m := map[string]record.Record{}
	for _, r := range recs {
		m[strings.TrimPrefix(r.URL, srv.URL)] = r
	}
	return m
}

func TestRecrawlSendsValidatorsAndReportsChanges(t *testing.T) {
	lm := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	site := &conditionalSite{log: map[string][]http.Header{}, pages: map[string]page{
		"/":   {links: []string{"/a", "/b", "/c"}, etag: `"root1"`, lastModified: lm},
		"/a":  {links: []string{"/a1", "/a2", "/a3"}, etag: `"a1"`},
		"/a1": {etag: `W/"a1-1"`},
		"/a2": {lastModified: lm}, // Last-Modified only
		"/a3": {},                 // no validators: unchanged by its body's hash
		"/b":  {etag: `"b1"`},
		"/c":  {etag: `"c1"`},
	}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()

	first, _ := crawlPass(t, srv, dir, false)
	if len(first) != 7 {
		t.Fatalf("first pass: %d records, want 7: %v", len(first), slices.Sorted(maps.Keys(first)))
	}
	for p, r := range first {
		if r.Change != "" {
			t.Errorf("first pass %s: change %q, want none", p, r.Change)
		}
	}
	site.takeLog()
	site.set("/b", page{links: []string{"/new"}, etag: `"b2"`})
	site.set("/new", page{etag: `"new1"`})
	site.remove("/c")

	second, st := crawlPass(t, srv, dir, true)
	log := site.takeLog()
	for p, pg := range map[string]page{"/": site.pages["/"], "/a": {etag: `"a1"`}, "/a1": {etag: `W/"a1-1"`}, "/b": {etag: `"b1"`}, "/c": {etag: `"c1"`}} {
		if got := log[p][0].Get("If-None-Match"); got != pg.etag {
			t.Errorf("second pass %s: If-None-Match %q, want %q", p, got, pg.etag)
		}
	}
	for _, p := range []string{"/", "/a2"} {
		if got := log[p][0].Get("If-Modified-Since"); got != lm.Format(http.TimeFormat) {
			t.Errorf("second pass %s: If-Modified-Since %q, want %q", p, got, lm.Format(http.TimeFormat))
		}
	}
	if h := log["/a3"][0]; h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
		t.Errorf("second pass /a3 had no validators, sent %v", h)
	}
	for p := range first {
		if _, ok := second[p]; !ok {
			t.Errorf("second pass did not reach %s", p)
		}
	}
	want := map[string]struct {
		status int
		change string
	}{
		"/": {304, "unchanged"}, "/a": {304, "unchanged"}, "/a1": {304, "unchanged"}, "/a2": {304, "unchanged"},
		"/a3": {200, "unchanged"}, "/b": {200, "changed"}, "/c": {404, "gone"}, "/new": {200, "new"},
	}
	if len(second) != len(want) {
		t.Errorf("second pass: %d records %v, want %d", len(second), slices.Sorted(maps.Keys(second)), len(want))
	}
	for p, w := range want {
		if r := second[p]; r.Status != w.status || r.Change != w.change {
			t.Errorf("second pass %s: status %d change %q, want %d %q", p, r.Status, r.Change, w.status, w.change)
		}
	}
	if got := second["/a"].Links; len(got) != 3 {
		t.Errorf("second pass /a (304): links %q, want the 3 of the first pass", got)
	}
	wantChanges := map[string]int64{"new": 1, "changed": 1, "unchanged": 5, "gone": 1}
	if !maps.Equal(st.Changes, wantChanges) {
		t.Errorf("Stats.Changes = %v, want %v", st.Changes, wantChanges)
	}

	third, _ := crawlPass(t, srv, dir, true)
	if r := third["/new"]; r.Status != 304 || r.Change != "unchanged" {
		t.Errorf("third pass /new: status %d change %q, want 304 unchanged", r.Status, r.Change)
	}
}

// TestRecrawlWARCRevisit archives two recrawls of a pass that was not
// archived: each 304 to a conditional request is a revisit record with the
// server-not-modified profile; a 200 with the body of the last pass is a
// response record in the first (no record holds its payload yet: the memo
// has no WARC-Payload-Digest to match) and an identical-payload-digest
// revisit without the payload in the second.
func TestRecrawlWARCRevisit(t *testing.T) {
	site := &conditionalSite{log: map[string][]http.Header{}, pages: map[string]page{
		"/": {links: []string{"/a", "/b"}, etag: `"r"`}, "/a": {etag: `"a"`}, "/b": {},
	}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	crawlPass(t, srv, dir, false)
	for pass, identical := range []int{0, 1} {
		path := filepath.Join(t.TempDir(), "recrawl.warc")
		w, err := warc.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		crawlPassWARC(t, srv, dir, true, w)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, c := range []struct {
			field string
			want  int
		}{
			{"WARC-Type: revisit", 2 + identical},
			{"WARC-Profile: " + warc.ProfileServerNotModified, 2},              // / and /a
			{"WARC-Profile: " + warc.ProfileIdenticalPayloadDigest, identical}, // /b: no validators, same body
			{"WARC-Type: response", 1 - identical},
		} {
			if n := strings.Count(text, c.field+"\r\n"); n != c.want {
				t.Errorf("recrawl %d: %d times %q, want %d", pass+1, n, c.field, c.want)
			}
		}
		for _, p := range []string{"/", "/a", "/b"} {
			if want := p != "/b" || identical == 1; strings.Contains(text, "WARC-Refers-To-Target-URI: "+srv.URL+p+"\r\n") != want {
				t.Errorf("recrawl %d: WARC-Refers-To-Target-URI for %s: %v, want %v", pass+1, p, !want, want)
			}
		}
		if got, want := strings.Contains(text, "<title>/b</title>"), identical == 0; got != want {
			t.Errorf("recrawl %d: /b's payload archived: %v, want %v", pass+1, got, want)
		}
	}
}

func TestStartPassRefusesAnUnfinishedCrawl(t *testing.T) {
	f, err := Open(t.TempDir(), testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(context.Background())
	if _, err := f.StartPass(context.Background()); err == nil || !strings.Contains(err.Error(), ErrNotFinished.Error()) {
		t.Fatalf("StartPass of a new state: %v, want ErrNotFinished", err)
	}
	if _, err := f.Push(context.Background(), scrape.Request{URL: "http://127.0.0.1:1/"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.StartPass(context.Background()); err == nil {
		t.Fatal("StartPass of a crawl with a URL queued: no error")
	}
}
