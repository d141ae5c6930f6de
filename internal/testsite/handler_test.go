package testsite

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// noRedirect is a client that returns redirects instead of following them.
func noRedirect(c *http.Client) *http.Client {
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cc
}

// get fetches path and returns the response with its body read.
func get(t *testing.T, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", url, err)
	}
	return resp, body
}

func TestCounters(t *testing.T) {
	site, srv := newServer(t, Config{})
	for range 3 {
		get(t, srv.Client(), srv.URL+"/page/1")
	}
	get(t, srv.Client(), srv.URL+"/img/photo.png?size=large")
	get(t, srv.Client(), srv.URL+"/nowhere")
	if n := site.Requests("/page/1"); n != 3 {
		t.Errorf("Requests(/page/1) = %d, want 3", n)
	}
	if n := site.Requests("/img/photo.png?size=large"); n != 1 {
		t.Errorf("Requests with query = %d, want 1", n)
	}
	if n := site.TotalRequests(); n != 5 {
		t.Errorf("TotalRequests = %d, want 5", n)
	}
	per := site.RequestsPerPath()
	per["/page/1"] = 100 // a copy: the site's counts must not change
	if site.Requests("/page/1") != 3 || len(per) != 3 {
		t.Errorf("RequestsPerPath: %v", site.RequestsPerPath())
	}
}

func TestFailsOnceThenServes(t *testing.T) {
	site, srv := newServer(t, Config{})
	for path, first := range map[string]int{"/flaky/3": 503, "/busy": 429} {
		resp, _ := get(t, srv.Client(), srv.URL+path)
		if resp.StatusCode != first || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s first: %d Retry-After %q", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		for range 2 {
			if resp, _ = get(t, srv.Client(), srv.URL+path); resp.StatusCode != 200 {
				t.Errorf("%s again: %d", path, resp.StatusCode)
			}
		}
		if in, _ := site.Info(path); in.FirstStatus != first || in.Status != 200 {
			t.Errorf("Info(%s): %+v", path, in)
		}
	}
}

func TestRedirects(t *testing.T) {
	site, srv := newServer(t, Config{})
	c := noRedirect(srv.Client())
	for path, want := range map[string]struct {
		code int
		loc  string
	}{"/redirect/4": {302, "/page/4"}, "/chain/3": {301, "/chain/2"}, "/chain/1": {301, "/landing"}} {
		resp, _ := get(t, c, srv.URL+path)
		if resp.StatusCode != want.code || resp.Header.Get("Location") != want.loc {
			t.Errorf("%s: %d to %q, want %d to %q", path, resp.StatusCode, resp.Header.Get("Location"), want.code, want.loc)
		}
	}
	in, _ := site.Info("/chain/3")
	if in.FinalPath != "/landing" || len(in.Redirects) != 3 || in.Title != "Landing" {
		t.Errorf("Info(/chain/3): %+v", in)
	}
	page1, _ := site.Info("/page/1") // page 1 links its first child both ways
	if !contains(page1.Links, "/redirect/4") || !contains(page1.Links, "/page/4") {
		t.Errorf("/page/1 links %v", page1.Links)
	}
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

func TestCharsets(t *testing.T) {
	site, srv := newServer(t, Config{})
	for path, want := range map[string]struct{ ctype, raw, title string }{
		"/latin1": {"text/html; charset=iso-8859-1", "Caf\xe9 M\xfcller", "Café Müller"},
		"/cp1252": {"text/html", "\x8cuvre na\xefve \x96 5 \x80", "Œuvre naïve – 5 €"},
	} {
		resp, body := get(t, srv.Client(), srv.URL+path)
		if resp.Header.Get("Content-Type") != want.ctype || !bytes.Contains(body, []byte(want.raw)) || utf8.Valid(body) {
			t.Errorf("%s: %q, body not in its charset: %q", path, resp.Header.Get("Content-Type"), body)
		}
		r, err := charset.NewReader(bytes.NewReader(body), want.ctype)
		if err != nil {
			t.Fatal(err)
		}
		dec, _ := io.ReadAll(r)
		if !strings.Contains(string(dec), "<title>"+want.title+"</title>") {
			t.Errorf("%s decoded: %s", path, dec)
		}
		if in, _ := site.Info(path); in.Title != want.title {
			t.Errorf("Info(%s).Title = %q", path, in.Title)
		}
	}
}

func TestBigRobotsBinaryAndMissing(t *testing.T) {
	_, srv := newServer(t, Config{BigSize: 100000, CrawlDelay: 1500 * time.Millisecond})
	if _, body := get(t, srv.Client(), srv.URL+"/big"); len(body) != 100000 {
		t.Errorf("/big is %d bytes, want 100000", len(body))
	}
	if _, body := get(t, srv.Client(), srv.URL+"/robots.txt"); string(body) != "User-agent: *\nDisallow: /private/\nCrawl-delay: 1.5\n" {
		t.Errorf("robots.txt: %q", body)
	}
	if resp, _ := get(t, srv.Client(), srv.URL+"/files/report.pdf"); resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("pdf served as %q", resp.Header.Get("Content-Type"))
	}
	for _, path := range []string{"/missing/2", "/page/50", "/page/01", "/page/-1", "/author/5", "/trap/0", "/chain/11", "/nowhere/1"} {
		if resp, _ := get(t, srv.Client(), srv.URL+path); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
	if resp, _ := get(t, srv.Client(), srv.URL+"/trap/123456"); resp.StatusCode != 200 {
		t.Errorf("/trap/123456: %d", resp.StatusCode)
	}
	resp, err := srv.Client().Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

func TestPlainSiteHasNoOneOffs(t *testing.T) {
	site, srv := newServer(t, Config{Plain: true})
	for _, path := range []string{"/latin1", "/trap/1", "/redirect/1", "/private/", "/files/report.pdf"} {
		if resp, _ := get(t, srv.Client(), srv.URL+path); resp.StatusCode != 404 {
			t.Errorf("plain %s: %d", path, resp.StatusCode)
		}
	}
	if home, _ := site.Info("/"); len(home.Links) != 1+Authors {
		t.Errorf("plain home links %v", home.Links)
	}
}

// TestOffsiteLink checks that the home page links the server under its
// other loopback name.
func TestOffsiteLink(t *testing.T) {
	_, srv := newServer(t, Config{})
	_, body := get(t, srv.Client(), srv.URL+"/")
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/offsite"
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") || !bytes.Contains(body, []byte(`href="`+other+`"`)) {
		t.Errorf("home page lacks %s:\n%s", other, body)
	}
}

// TestLatency checks that answers wait at least Latency, and that a client
// that gives up ends the wait.
func TestLatency(t *testing.T) {
	_, srv := newServer(t, Config{Latency: 50 * time.Millisecond})
	start := time.Now()
	get(t, srv.Client(), srv.URL+"/page/0")
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answered after %v, before the 50ms latency", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/slow/60000", nil)
	if resp, err := srv.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Error("/slow/60000 answered within 20ms")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{{Pages: -1}, {Fanout: -2}, {Latency: -time.Second}, {CrawlDelay: -1}, {BigSize: -5}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v): no error", cfg)
		}
	}
}

func TestStartAndClose(t *testing.T) {
	site, _ := New(Config{})
	sv, err := site.Start("")
	if err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, http.DefaultClient, sv.URL+"/page/3")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<title>Page 3</title>")) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	http.DefaultClient.CloseIdleConnections()
	if err := sv.Close(context.Background()); err != nil {
		t.Error(err)
	}
	if _, err := site.Start("256.0.0.1:0"); err == nil {
		t.Error("Start on a bad address: no error")
	}
}
