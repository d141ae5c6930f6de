package scrape

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/internal/warcread"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// rawHeads are the response heads rawSite sends, byte for byte: field
// names in odd case, duplicates, no order, a chunked body, an interim 103,
// bare LF line ends, a folded line. The body follows each head.
var rawHeads = map[string]string{
	"/robots.txt": "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nCONTENT-LENGTH: %d\r\nconnection: keep-alive\r\n\r\n",
	"/": "HTTP/1.1 200 OK\r\nzz-Last: 1\r\ncontent-type: text/html\r\nX-Dup: one\r\nSet-Cookie: a=1\r\n" +
		"x-dup: two\r\nSet-Cookie: b=2\r\nContent-Length: %d\r\nAa-First: 2\r\n\r\n",
	"/chunked": "HTTP/1.1 200 Fine Thanks\r\ntransfer-encoding: chunked\r\nZ-Last: z\r\nA-First: a\r\n" +
		"content-TYPE: text/html\r\n\r\n",
	"/hints": "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n" +
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nlink: </s.css>; rel=preload\r\nContent-Length: %d\r\n\r\n",
	"/lf":     "HTTP/1.1 200 OK\nContent-Type: text/html\nX-Folded: one\n two\nContent-Length: %d\n\n",
	"/gone":   "HTTP/1.1 404 Not Here\r\ncontent-length: %d\r\nContent-Type: text/plain\r\n\r\n",
	"/folded": "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding:\r\n chunked\r\nX-After: yes\r\n\r\n",
}

// rawBodies are the bodies after rawHeads (dechunked).
var rawBodies = map[string]string{
	"/robots.txt": "User-agent: *\nAllow: /\n",
	"/":           `<a href="/chunked">c</a><a href="/hints">h</a><a href="/lf">l</a><a href="/gone">g</a><a href="/folded">f</a>`,
	"/chunked":    "<p>" + strings.Repeat("chunk ", 2000) + "</p>",
	"/hints":      "<p>hints</p>",
	"/lf":         "<p>lf</p>",
	"/gone":       "no such page",
	"/folded":     "<p>folded</p>",
}

// rawSite is a raw-TCP HTTP/1.1 server (and forward proxy: it answers by
// path, whatever the host) that writes rawHeads as they are, keeping each
// connection open; it counts its requests and the connections that
// carried one (net/http may dial a connection it then leaves unused, when
// the kept-alive one comes back idle first).
type rawSite struct {
	*rawServer
	scheme   string
	mu       sync.Mutex
	used     int // connections that carried a request
	requests int
}

func newRawSite(t *testing.T, tlsCfg *tls.Config) *rawSite {
	s := &rawSite{scheme: "http"}
	if tlsCfg != nil {
		s.scheme = "https"
	}
	s.rawServer = startRawServer(t, tlsCfg, s.serve)
	return s
}

func (s *rawSite) URL() string { return s.scheme + "://" + s.ln.Addr().String() }

func (s *rawSite) serve(c net.Conn) {
	br := bufio.NewReader(c)
	for n := 0; ; n++ {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		s.mu.Lock()
		s.requests++
		if n == 0 {
			s.used++
		}
		s.mu.Unlock()
		if _, err := c.Write(rawResponse(req.URL.Path)); err != nil {
			return
		}
	}
}

// rawResponse is the head and body of path as rawSite sends them.
func rawResponse(path string) []byte {
	head, ok := rawHeads[path]
	if !ok {
		return []byte("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
	}
	body := rawBodies[path]
	if !strings.Contains(strings.ToLower(head), "transfer-encoding") {
		return []byte(fmt.Sprintf(head, len(body)) + body)
	}
	var b bytes.Buffer
	b.WriteString(head)
	for i := 0; i < len(body); i += 1000 {
		part := body[i:min(i+1000, len(body))]
		fmt.Fprintf(&b, "%x\r\n%s\r\n", len(part), part)
	}
	b.WriteString("0\r\n\r\n")
	return b.Bytes()
}

// wantHead is the head of path as a response record should hold it: as
// sent, without its Transfer-Encoding field, interim 1xx heads left out.
func wantHead(path string) string {
	head := rawHeads[path]
	if strings.Contains(head, "%d") {
		head = fmt.Sprintf(head, len(rawBodies[path]))
	}
	if i := strings.Index(head, "\r\n\r\nHTTP/"); i >= 0 { // an interim head first
		head = head[i+4:]
	}
	head = strings.Replace(head, "transfer-encoding: chunked\r\n", "", 1)
	return strings.Replace(head, "Transfer-Encoding:\r\n chunked\r\n", "", 1)
}

// TestCrawlWARCWireHeads crawls a raw-TCP server whose response heads
// have odd-case, duplicate and unordered fields, bare LF line ends, a
// folded line, a chunked body and an interim 103, over one kept-alive
// connection: directly, through it as an http proxy, and over TLS
// (HTTP/1.1). Each response record holds the head as sent, byte for byte
// (only its Transfer-Encoding field removed, as the body is dechunked;
// the 103 left out), with the body as sent, and reads back valid.
func TestCrawlWARCWireHeads(t *testing.T) {
	for _, mode := range []string{"direct", "proxied", "tls"} {
		t.Run(mode, func(t *testing.T) {
			var tlsCfg *tls.Config
			if mode == "tls" {
				tlsCfg = testTLSConfig(t)
				tlsCfg.NextProtos = []string{"http/1.1"}
			}
			site := newRawSite(t, tlsCfg)
			defer site.close()
			cfg := Config{Concurrency: 1, PerHost: 1, Depth: 1, Rules: []Rule{}, Starts: []string{site.URL() + "/"},
				RequestOptions: RequestOptions{Insecure: mode == "tls"}}
			if mode == "proxied" {
				pu, _ := url.Parse(site.URL())
				cfg.RequestOptions.Proxy = pu
				cfg.Starts = []string{"http://site.invalid/"}
			}
			path := filepath.Join(t.TempDir(), "raw.warc")
			w, err := warc.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Archive = w
			crawl(t, httptest.NewUnstartedServer(nil), cfg)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			recs, err := warcread.File(path)
			if err != nil {
				t.Fatal(err)
			}
			seen := 0
			for _, r := range recs {
				if r.Type != "response" {
					continue
				}
				seen++
				u, _ := url.Parse(r.TargetURI)
				want := wantHead(u.Path)
				if got := string(r.Block[:len(r.Block)-len(r.Payload)]); got != want {
					t.Errorf("%s: head\n%q\nwant as sent\n%q", u.Path, got, want)
				}
				if string(r.Payload) != rawBodies[u.Path] {
					t.Errorf("%s: payload %q, want %q", u.Path, r.Payload, rawBodies[u.Path])
				}
			}
			if seen != len(rawHeads) {
				t.Errorf("%d response records, want %d", seen, len(rawHeads))
			}
			site.mu.Lock()
			defer site.mu.Unlock()
			if site.used != 1 || site.requests != len(rawHeads) {
				t.Errorf("%d requests on %d connections, want %d on one (kept alive)", site.requests, site.used, len(rawHeads))
			}
		})
	}
}

// testTLSConfig is a server TLS configuration with httptest's
// self-signed certificate for 127.0.0.1.
func testTLSConfig(t *testing.T) *tls.Config {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	ts.StartTLS()
	cfg := ts.TLS.Clone()
	ts.Close()
	return cfg
}

// TestCrawlWARCHTTP2Heads: a server that speaks HTTP/2 is still crawled
// over HTTP/2 with the archive on, and its heads, which have no wire text,
// are net/http's parse (canonical names, sorted) of the response and the
// request rebuilt (warc.RequestHead of the request the server got).
func TestCrawlWARCHTTP2Heads(t *testing.T) {
	var mu sync.Mutex
	var got []byte // the request head rebuilt from what the server got
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = warc.RequestHead(r)
		mu.Unlock()
		w.Header()["x-lower"] = []string{"1"}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<p>h2</p>")
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "h2.warc")
	w, err := warc.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	crawl(t, srv, Config{Archive: w, IgnoreRobots: true, Rules: []Rule{}, RequestOptions: RequestOptions{Insecure: true}})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := warcread.File(path)
	if err != nil {
		t.Fatal(err)
	}
	responses := 0
	for _, r := range recs {
		if r.Type == "request" {
			mu.Lock()
			if !bytes.Equal(r.Block, got) {
				t.Errorf("request record over HTTP/2\n%q\nwant rebuilt\n%q", r.Block, got)
			}
			mu.Unlock()
		}
		if r.Type != "response" {
			continue
		}
		responses++
		if !bytes.HasPrefix(r.Block, []byte("HTTP/2.0 200 OK\r\n")) || !bytes.Contains(r.Block, []byte("\r\nX-Lower: 1\r\n")) {
			t.Errorf("head over HTTP/2:\n%s", r.Block)
		}
	}
	if responses != 1 {
		t.Errorf("%d response records, want 1", responses)
	}
}
