package scrape

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// secret is in every password of these tests, and must be in no message.
const secret = "s3cret"

// badCredentialStarts are start URLs with a password that cannot be crawled.
var badCredentialStarts = []string{
	"http://user:s3cretpw@host:99999/",       // port out of range
	"http://user:s3cretpw@/",                 // no host
	"http://user:s3cretpw@ho st/",            // space in the host
	"http://user:s3cretpw@[::1/",             // unclosed IPv6 address
	"http://user:s3cretpw@exa%00mple/",       // NUL in the host
	"http://user:s3cret/pw@host/",            // "/" in the password: "s3cret" reads as a port
	"http://user:s3cret?pw@host/",            // "?" in the password
	"http://user:s3cret#pw@host/",            // "#" in the password
	"http://user:s3cret%pw@host:x/",          // a lone "%", and a bad port
	"http://user:s3cretpw@0x100000000/",      // an IPv4 number out of range
	"http://user:s3cretpw@1.2.3.4.5/",        // IPv4 with five parts
	"user:s3cretpw@host/",                    // not absolute
	"ftp://user:s3cretpw@host/",              // not http
	"http://a:s3cretpw@h@user:s3cretpw@:1:2", // several "@", a bad port
}

func TestRedactStartURLErrors(t *testing.T) {
	for _, raw := range badCredentialStarts {
		cfg := Config{Starts: []string{"http://127.0.0.1/", raw}, Output: &collect{}}
		verr := cfg.Validate()
		_, nerr := New(cfg)
		for name, err := range map[string]error{"Validate": verr, "New": nerr} {
			if err == nil {
				t.Errorf("%s with start URL %q: no error", name, raw)
				continue
			}
			if !errors.Is(err, ErrBadURL) && !errors.Is(err, ErrConfig) {
				t.Errorf("%s with start URL %q: %v is neither ErrBadURL nor ErrConfig", name, raw, err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%s with start URL %q: the error names the password: %v", name, raw, err)
			}
		}
		if _, err := Canonicalize(raw); err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("Canonicalize(%q): %v", raw, err)
		}
	}
}

// redactSite answers a crawl started with credentials with redirects that
// quote a password: to a Location net/http cannot parse, to a scheme that
// is not crawled, along a chain over maxRedirects; its robots.txt lists a
// sitemap URL that cannot be parsed.
func redactSite(t *testing.T) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.TrimPrefix(srv.URL, "http://")
		redirect := func(loc string) {
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusFound)
		}
		switch p := r.URL.Path; {
		case p == "/robots.txt":
			fmt.Fprintf(w, "User-agent: *\nAllow: /\nSitemap: http://user:s3cretpw@%s:99999/sitemap.xml\n", host)
		case p == "/":
			fmt.Fprint(w, `<title>start</title><a href="/badport">a</a><a href="/ftp">b</a><a href="/chain/0">c</a>`)
		case p == "/badport":
			redirect("http://user:s3cretpw@" + host + ":bad/")
		case p == "/ftp":
			redirect("ftp://user:s3cretpw@" + host + "/")
		case strings.HasPrefix(p, "/chain/"):
			var n int
			fmt.Sscanf(p, "/chain/%d", &n)
			redirect(fmt.Sprintf("http://user:s3cretpw@%s/chain/%d", host, n+1))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRedactCrawlMessages(t *testing.T) {
	srv := redactSite(t)
	var mu sync.Mutex
	var warns []string
	start := strings.Replace(srv.URL, "http://", "http://user:s3cretpw@", 1) + "/"
	out, _ := crawl(t, srv, Config{
		Starts:         []string{start},
		Depth:          2,
		RequestOptions: RequestOptions{Sitemaps: true},
		Retries:        -1,
		RetryBackoff:   time.Millisecond,
		Warn: func(msg string) {
			mu.Lock()
			defer mu.Unlock()
			warns = append(warns, msg)
		},
	})
	recs := out.byPath(t)
	for _, p := range []string{"/badport", "/ftp", "/chain/0"} {
		rec, ok := recs[p]
		if !ok {
			t.Errorf("no record of %s", p)
			continue
		}
		if p != "/ftp" && rec.Error == "" {
			t.Errorf("%s: no error: %+v", p, rec)
		}
	}
	for p, rec := range recs {
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), secret) {
			t.Errorf("the record of %s names the password: %s", p, b)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(warns) == 0 {
		t.Error("no Warn of the sitemap URL that cannot be parsed")
	}
	for _, w := range warns {
		if strings.Contains(w, secret) {
			t.Errorf("Warn names the password: %s", w)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for raw, want := range map[string]string{
		"http://user:pw@host/":        "http://user:xxxxx@host/",
		"http://user@host/":           "http://user@host/",
		"http://host/":                "http://host/",
		"http://user:p/w@host/":       "http://xxxxx@host/",
		"http://user:pw@host:bad/":    "http://xxxxx@host:bad/",
		"user:pw@host":                "xxxxx@host",
		"http://a:b@c@d/":             "http://a:xxxxx@d/",
		"redis://:pw@127.0.0.1:6379/": "redis://:xxxxx@127.0.0.1:6379/",
	} {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}
