package scrape

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/internal/socksproxy"
	"github.com/poolscrape/poolscrape/internal/warcread"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// requestRecorder is a raw-TCP HTTP/1.1 server (and forward proxy: it
// answers by path, whatever the host) that keeps the bytes of each request
// head it receives, by path, and answers with a page linking to /a and /b,
// keeping the connection open.
type requestRecorder struct {
	*rawServer
	mu    sync.Mutex
	used  int                 // connections that carried a request (see rawSite)
	heads map[string][]string // by path, in arrival order
}

func newRequestRecorder(t *testing.T, tlsCfg *tls.Config) *requestRecorder {
	s := &requestRecorder{heads: map[string][]string{}}
	s.rawServer = startRawServer(t, tlsCfg, s.serve)
	return s
}

func (s *requestRecorder) serve(c net.Conn) {
	br := bufio.NewReader(c)
	for n := 0; ; n++ {
		var head bytes.Buffer
		for { // up to the empty line, byte for byte
			line, err := br.ReadSlice('\n')
			head.Write(line)
			if err != nil {
				return
			}
			if len(line) <= 2 && strings.TrimRight(string(line), "\r\n") == "" {
				break
			}
		}
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(head.Bytes())))
		if err != nil {
			return
		}
		s.mu.Lock()
		s.heads[req.URL.Path] = append(s.heads[req.URL.Path], head.String())
		if n == 0 {
			s.used++
		}
		s.mu.Unlock()
		body := "User-agent: *\nAllow: /\n"
		if req.URL.Path != "/robots.txt" {
			body = `<a href="/a">a</a><a href="/b">b</a>`
		}
		if _, err := fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(body), body); err != nil {
			return
		}
	}
}

var (
	authLine   = regexp.MustCompile(`(?im)^((?:proxy-)?authorization):([ \t]*)(\S+) .*?(\r?)$`)
	cookieLine = regexp.MustCompile(`(?im)^(cookie):([ \t]*)(.*?)(\r?)$`)
	cookiePair = regexp.MustCompile(`([^=; ]+)=[^;]*`)
)

// redactedAsSent is head with the values of its Authorization,
// Proxy-Authorization and Cookie lines redacted as request records redact
// them: the scheme word and cookie names kept.
func redactedAsSent(head string) string {
	head = authLine.ReplaceAllString(head, "$1:$2$3 "+warc.Redacted+"$4")
	return cookieLine.ReplaceAllStringFunc(head, func(line string) string {
		m := cookieLine.FindStringSubmatch(line)
		return m[1] + ":" + m[2] + cookiePair.ReplaceAllString(m[3], "$1="+warc.Redacted) + m[4]
	})
}

// TestCrawlWARCWireRequestHeads crawls a raw-TCP server that keeps the
// bytes of every request head it receives, with credentials (a start URL's
// user:pw@, Cookies, a Cookie in Header; in proxied mode the proxy URL's
// user:pw@, which the transport adds below the archive) and fields that
// net/http writes in an order of its own, over one kept-alive connection:
// directly, through it as an http proxy, through a socks5 proxy, over TLS
// (HTTP/1.1) and over TLS through a socks5 proxy. Each request record's
// head is, byte for byte, the head the server received, but for the
// credential values, redacted; but over TLS through a proxy, whose TLS
// net/http adds out of the archive's reach: there it is the head rebuilt
// from the request (warc.RequestHead). None of the secrets is in a record.
func TestCrawlWARCWireRequestHeads(t *testing.T) {
	for _, mode := range []string{"direct", "proxied", "socks5", "tls", "tls-socks5"} {
		t.Run(mode, func(t *testing.T) {
			var tlsCfg *tls.Config
			if strings.HasPrefix(mode, "tls") {
				tlsCfg = testTLSConfig(t)
				tlsCfg.NextProtos = []string{"http/1.1"}
			}
			site := newRequestRecorder(t, tlsCfg)
			defer site.close()
			scheme := map[bool]string{false: "http", true: "https"}[tlsCfg != nil]
			host := site.ln.Addr().String()
			opts := RequestOptions{Insecure: tlsCfg != nil,
				Header:  http.Header{"Zz-Last": {"z"}, "A-First": {"a"}, "Cookie": {"extra=s3cr3t-hdrcookie"}, "Accept": {"text/html"}},
				Cookies: []*http.Cookie{{Name: "sid", Value: "s3cr3t-cookie"}}}
			secrets := []string{"s3cr3t-auth", base64.StdEncoding.EncodeToString([]byte("ann:s3cr3t-auth")), "s3cr3t-cookie", "s3cr3t-hdrcookie"}
			if mode == "proxied" {
				opts.Proxy = &url.URL{Scheme: "http", Host: host, User: url.UserPassword("pat", "s3cr3t-proxy")}
				host = "site.invalid"
				secrets = append(secrets, "s3cr3t-proxy", base64.StdEncoding.EncodeToString([]byte("pat:s3cr3t-proxy")))
			}
			if strings.HasSuffix(mode, "socks5") {
				socks, err := socksproxy.Start(host)
				if err != nil {
					t.Fatal(err)
				}
				defer socks.Close()
				opts.Proxy = &url.URL{Scheme: "socks5", Host: socks.Addr()}
				host = "site.invalid"
			}
			path := filepath.Join(t.TempDir(), "req.warc")
			w, err := warc.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			crawl(t, httptest.NewUnstartedServer(nil), Config{Concurrency: 1, PerHost: 1, Depth: 1, Rules: []Rule{}, Archive: w,
				Starts: []string{scheme + "://ann:s3cr3t-auth@" + host + "/"}, RequestOptions: opts})
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			recs, err := warcread.File(path)
			if err != nil {
				t.Fatal(err)
			}
			site.mu.Lock()
			defer site.mu.Unlock()
			seen := 0
			for _, r := range recs {
				if r.Type != "request" {
					continue
				}
				u, _ := url.Parse(r.TargetURI)
				sent := site.heads[u.Path]
				if len(sent) != 1 {
					t.Errorf("%s: received %d times, want once", u.Path, len(sent))
					continue
				}
				seen++
				if want := redactedAsSent(sent[0]); mode != "tls-socks5" && string(r.Block) != want {
					t.Errorf("%s: request record\n%q\nwant as received, credentials redacted\n%q", u.Path, r.Block, want)
				}
				if mode == "tls-socks5" { // net/http's TLS over the proxy's connection: no wire bytes to keep
					got, err := http.ReadRequest(bufio.NewReader(strings.NewReader(sent[0])))
					if err != nil {
						t.Fatal(err)
					}
					if want := string(warc.RequestHead(got)); string(r.Block) != want || want == sent[0] {
						t.Errorf("%s: request record\n%q\nwant the head rebuilt (not as received: %q)\n%q", u.Path, r.Block, sent[0], want)
					}
				}
				for _, s := range secrets {
					if bytes.Contains(r.Block, []byte(s)) {
						t.Errorf("%s: request record holds %q", u.Path, s)
					}
				}
			}
			if want := 4; seen != want { // robots.txt, /, /a, /b
				t.Errorf("%d request records matched, want %d", seen, want)
			}
			if site.used != 1 {
				t.Errorf("requests on %d connections, want one (kept alive)", site.used)
			}
		})
	}
}
