package scrape

import (
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/internal/socksproxy"
)

// TestCrawlHTTPProxy: with Proxy, every request (robots.txt included) goes
// to the proxy as a proxy request, also for a host no resolver knows.
func TestCrawlHTTPProxy(t *testing.T) {
	site := twoPageSite()
	proxy := httptest.NewServer(site) // a forward proxy that is the origin too
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	out, _ := crawl(t, proxy, Config{Starts: []string{"http://site.invalid/"}, Depth: 1, Rules: []Rule{},
		RequestOptions: RequestOptions{Proxy: pu}})
	if recs := out.byPath(t); len(recs) != 2 || recs["/a"].Status != 200 {
		t.Fatalf("records %+v", out.recs)
	}
	reqs := site.all()
	if len(reqs) != 3 {
		t.Errorf("%d requests at the proxy, want 3 (robots.txt, /, /a)", len(reqs))
	}
	for _, r := range reqs {
		if !strings.HasPrefix(r.RequestURI, "http://site.invalid/") {
			t.Errorf("request %q is not a proxy request for site.invalid", r.RequestURI)
		}
	}
}

// TestCrawlSOCKS5Proxy: a socks5:// Proxy carries every connection, the
// host name resolved by the proxy.
func TestCrawlSOCKS5Proxy(t *testing.T) {
	site := twoPageSite()
	srv := httptest.NewServer(site)
	defer srv.Close()
	socks, err := socksproxy.Start(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer socks.Close()
	pu := &url.URL{Scheme: "socks5", Host: socks.Addr()}
	out, _ := crawl(t, srv, Config{Starts: []string{"http://site.invalid/"}, Depth: 1, Rules: []Rule{},
		RequestOptions: RequestOptions{Proxy: pu}})
	if recs := out.byPath(t); len(recs) != 2 || recs["/a"].Status != 200 {
		t.Fatalf("records %+v", out.recs)
	}
	asked := socks.Asked()
	if len(asked) == 0 || slices.ContainsFunc(asked, func(a string) bool { return a != "site.invalid:80" }) {
		t.Errorf("SOCKS5 CONNECTs %q, want site.invalid:80 only", asked)
	}
	if n := len(site.all()); n != 3 {
		t.Errorf("%d requests through the proxy, want 3", n)
	}
}

// TestCrawlBadProxy: a proxy URL of another scheme, without a host, with
// a port out of range or with a query or fragment (where a "?" or "#" of
// a password cut it) is an ErrConfig that names no password.
func TestCrawlBadProxy(t *testing.T) {
	for _, raw := range []string{"ftp://127.0.0.1:21", "http://", "socks5://u:topsecret@127.0.0.1:99999",
		"http://127.0.0.1:0", "http://u:80#topsecret@127.0.0.1/", "http://u:80?topsecret@127.0.0.1/", "ftp://u:topsecret@127.0.0.1/"} {
		pu, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		_, err = New(Config{Starts: []string{"http://127.0.0.1/"}, Output: &collect{}, RequestOptions: RequestOptions{Proxy: pu}})
		if !errors.Is(err, ErrConfig) || strings.Contains(err.Error(), "topsecret") {
			t.Errorf("Proxy %q: %v; want an ErrConfig without the password", raw, err)
		}
	}
}

// TestCrawlInsecure: a self-signed certificate fails the start URL, unless
// Insecure, which warns.
func TestCrawlInsecure(t *testing.T) {
	site := twoPageSite()
	srv := httptest.NewUnstartedServer(site)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes refused
	srv.StartTLS()
	defer srv.Close()
	out, _ := crawl(t, srv, Config{Depth: 1, IgnoreRobots: true, Rules: []Rule{}})
	if len(out.recs) != 1 || !strings.Contains(out.recs[0].Error, "certificate") {
		t.Fatalf("without Insecure: records %+v, want one certificate error", out.recs)
	}
	var mu sync.Mutex
	var warns []string
	warn := func(m string) { mu.Lock(); warns = append(warns, m); mu.Unlock() }
	out, _ = crawl(t, srv, Config{Depth: 1, IgnoreRobots: true, Rules: []Rule{}, Warn: warn, RequestOptions: RequestOptions{Insecure: true}})
	if recs := out.byPath(t); len(recs) != 2 || recs["/"].Status != http.StatusOK || recs["/a"].Status != http.StatusOK {
		t.Fatalf("with Insecure: records %+v", out.recs)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "not verified") {
		t.Errorf("warnings %q, want one about certificates not verified", warns)
	}
}
