package scrape

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/warcread"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// TestCrawlWARCRedactsCredentials crawls through a forward proxy (that is
// the origin too) with credentials everywhere they can be given: a start
// URL's user:pw@, Cookies, a Cookie and an Authorization or
// Proxy-Authorization in Header, the proxy URL's user:pw@. The proxy gets
// every secret; the WARC file's bytes hold none of them, plain or base64,
// while its request records still name each credential field, with the
// scheme word and cookie names kept, and its digests verify.
func TestCrawlWARCRedactsCredentials(t *testing.T) {
	basic := func(user, pw string) string { return base64.StdEncoding.EncodeToString([]byte(user + ":" + pw)) }
	cases := []struct {
		name    string
		start   string
		opts    RequestOptions
		proxyPW string   // in the proxy URL
		sent    []string // header lines the proxy must get
		kept    []string // header lines each request record must hold
		secrets []string
	}{{
		name:  "start URL, Cookies, Header Cookie, proxy URL",
		start: "http://ann:s3cr3t-auth@site.invalid/",
		opts: RequestOptions{Cookies: []*http.Cookie{{Name: "sid", Value: "s3cr3t-cookie"}},
			Header: http.Header{"Cookie": {"extra=s3cr3t-hdrcookie"}}},
		proxyPW: "s3cr3t-proxy",
		sent: []string{"Authorization: Basic " + basic("ann", "s3cr3t-auth"), "Cookie: sid=s3cr3t-cookie; extra=s3cr3t-hdrcookie",
			"Proxy-Authorization: Basic " + basic("pat", "s3cr3t-proxy")},
		kept:    []string{"\r\nAuthorization: Basic [redacted]\r\n", "\r\nCookie: sid=[redacted]; extra=[redacted]\r\n"},
		secrets: []string{"s3cr3t-auth", basic("ann", "s3cr3t-auth"), "s3cr3t-cookie", "s3cr3t-hdrcookie", "s3cr3t-proxy", basic("pat", "s3cr3t-proxy")},
	}, {
		name:  "Header Authorization and Proxy-Authorization",
		start: "http://site.invalid/",
		opts: RequestOptions{Header: http.Header{"Authorization": {"Bearer s3cr3t-token"},
			"Proxy-Authorization": {"Basic " + basic("pat", "s3cr3t-hdrproxy")}}},
		sent:    []string{"Authorization: Bearer s3cr3t-token", "Proxy-Authorization: Basic " + basic("pat", "s3cr3t-hdrproxy")},
		kept:    []string{"\r\nAuthorization: Bearer [redacted]\r\n", "\r\nProxy-Authorization: Basic [redacted]\r\n"},
		secrets: []string{"s3cr3t-token", "s3cr3t-hdrproxy", basic("pat", "s3cr3t-hdrproxy")},
	}}
	for _, tc := range cases {
		for _, name := range []string{"crawl.warc", "crawl.warc.gz"} {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				site := twoPageSite()
				proxy := httptest.NewServer(site)
				defer proxy.Close()
				pu, _ := url.Parse(proxy.URL)
				if tc.proxyPW != "" {
					pu.User = url.UserPassword("pat", tc.proxyPW)
				}
				tc.opts.Proxy = pu
				path := filepath.Join(t.TempDir(), name)
				w, err := warc.Create(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := w.WriteInfo(time.Now(), []warc.Field{{Name: "software", Value: "poolscrape test"}}); err != nil {
					t.Fatal(err)
				}
				crawl(t, proxy, Config{Starts: []string{tc.start}, Archive: w, Depth: 1, Rules: []Rule{}, RequestOptions: tc.opts})
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				checkSent(t, site.requests()["/a"], tc.sent)
				checkRedacted(t, path, tc.kept, tc.secrets)
			})
		}
	}
}

// checkSent fails unless the first request has each header line of want.
func checkSent(t *testing.T, reqs []*http.Request, want []string) {
	t.Helper()
	if len(reqs) == 0 {
		t.Fatal("/a not requested")
	}
	var b strings.Builder
	reqs[0].Header.Write(&b)
	for _, line := range want {
		if !strings.Contains(b.String(), "\r\n"+line+"\r\n") && !strings.HasPrefix(b.String(), line+"\r\n") {
			t.Errorf("the proxy did not get %q; got:\n%s", line, b.String())
		}
	}
}

// checkRedacted reads the WARC file at path back (digests checked) and
// fails on a secret in its bytes or a request record without a line of kept.
func checkRedacted(t *testing.T, path string, kept, secrets []string) {
	t.Helper()
	recs, err := warcread.File(path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if raw, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range secrets {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("the WARC file holds the secret %q", s)
		}
	}
	requests := 0
	for _, r := range recs {
		if r.Type != "request" {
			continue
		}
		requests++
		for _, line := range kept {
			if !bytes.Contains(r.Block, []byte(line)) {
				t.Errorf("request record of %s lacks %q:\n%s", r.TargetURI, line, r.Block)
			}
		}
	}
	if requests != 3 {
		t.Errorf("%d request records, want 3 (robots.txt, /, /a)", requests)
	}
}
