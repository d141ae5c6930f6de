package scrape

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/warcread"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// warcSite serves pages, a redirect, a 404, a gzip-encoded page, a
// chunked page and a page over the crawl's MaxBody, and keeps the bytes it
// put on the wire for each path.
type warcSite struct {
	mu     sync.Mutex
	served map[string][]byte
	busy   int // requests of /busy
}

const warcMaxBody = 32 << 10

func (s *warcSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body []byte
	status := http.StatusOK
	w.Header().Set("Content-Type", "text/html")
	switch r.URL.Path {
	case "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		body = []byte("User-agent: *\nAllow: /\n")
	case "/":
		body = []byte(`<title>home</title><a href="/a">a</a><a href="/redirect">r</a><a href="/missing">m</a>` +
			`<a href="/gz">gz</a><a href="/chunked">c</a><a href="/big">big</a>` +
			`<a href="/blob">blob</a><a href="/long">long</a><a href="/cut">cut</a><a href="/busy">busy</a>`)
	case "/redirect":
		w.Header().Set("Location", "/b")
		status, body = http.StatusFound, []byte("moved to /b")
	case "/missing":
		w.Header().Set("Content-Type", "text/plain")
		status, body = http.StatusNotFound, []byte("no such page\n")
	case "/gz":
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		fmt.Fprint(zw, `<title>gzipped</title>`+strings.Repeat("squeeze me ", 500))
		zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		body = b.Bytes()
	case "/chunked":
		body = []byte(strings.Repeat("<p>chunk</p>", 2000))
		s.keep(r.URL.Path, body)
		for i := 0; i < len(body); i += 4096 {
			w.Write(body[i:min(i+4096, len(body))])
			w.(http.Flusher).Flush() // no Content-Length: chunked on the wire
		}
		return
	case "/blob": // not textual: the crawler reads no body
		w.Header().Set("Content-Type", "application/octet-stream")
		body = bytes.Repeat([]byte{0}, 1000)
	case "/long": // over MaxBody by its Content-Length: the crawler reads no body
		body = bytes.Repeat([]byte("l"), 2*warcMaxBody)
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	case "/cut": // the connection drops after 100 of 5000 bytes
		body = bytes.Repeat([]byte("c"), 100)
		s.keep(r.URL.Path, body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n%s", body)
			conn.Close()
		}
		return
	case "/busy": // 503 twice, then the page
		s.mu.Lock()
		s.busy++
		n := s.busy
		s.mu.Unlock()
		if n <= 2 {
			status = http.StatusServiceUnavailable
		}
		body = []byte("busy")
	case "/big":
		body = []byte("<title>big</title>" + strings.Repeat("x", 3*warcMaxBody))
	default:
		body = []byte("<title>" + r.URL.Path + "</title>")
	}
	s.keep(r.URL.Path, body)
	w.WriteHeader(status)
	w.Write(body)
}

func (s *warcSite) keep(path string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.served[path] = body
}

// TestCrawlWARC crawls into a WARC file, .warc and .warc.gz, and reads it
// back with an independent reader: a request and a response record for
// every exchange (robots.txt and the redirect hop included; the request
// with the headers the crawler adds, RequestOptions included), linked by
// WARC-Concurrent-To, digests right, each body byte for byte as served
// (the gzip page still gzipped, the chunked one dechunked), the page over
// MaxBody cut at it and marked WARC-Truncated: length, the bodies the
// crawler does not read (not textual, over MaxBody by Content-Length)
// marked unspecified, a dropped connection marked disconnect, each retry
// of a 503 archived.
func TestCrawlWARC(t *testing.T) {
	for _, name := range []string{"crawl.warc", "crawl.warc.gz"} {
		t.Run(name, func(t *testing.T) {
			site := &warcSite{served: map[string][]byte{}}
			srv := httptest.NewServer(site)
			defer srv.Close()
			path := filepath.Join(t.TempDir(), name)
			w, err := warc.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteInfo(time.Now(), []warc.Field{{Name: "software", Value: "poolscrape test"}}); err != nil {
				t.Fatal(err)
			}
			recs, _ := crawl(t, srv, Config{Archive: w, MaxBody: warcMaxBody, Concurrency: 4, Depth: 1,
				RequestOptions: RequestOptions{Header: http.Header{"X-Test": {"yes"}}, BasicAuth: url.UserPassword("ann", "pw")}})
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := warcread.File(path)
			if err != nil {
				t.Fatal(err)
			}
			checkWARC(t, srv.URL, site, recs, got)
		})
	}
}

func checkWARC(t *testing.T, base string, site *warcSite, recs *collect, got []warcread.Record) {
	t.Helper()
	if len(got) == 0 || got[0].Type != "warcinfo" {
		t.Fatalf("first record is not warcinfo: %+v", got)
	}
	responses := map[string]warcread.Record{}
	statuses := map[string][]int{}
	requests := map[string]int{}
	for _, r := range got[1:] {
		if r.WarcinfoID != got[0].ID {
			t.Errorf("%s %s: WARC-Warcinfo-ID %q, want %q", r.Type, r.TargetURI, r.WarcinfoID, got[0].ID)
		}
		if r.IP != "127.0.0.1" {
			t.Errorf("%s %s: WARC-IP-Address %q", r.Type, r.TargetURI, r.IP)
		}
		p := strings.TrimPrefix(r.TargetURI, base)
		switch r.Type {
		case "request":
			requests[p]++
			if !bytes.HasPrefix(r.Block, []byte("GET "+p+" HTTP/1.1\r\n")) {
				t.Errorf("request record of %s begins %q", p, r.Block[:min(len(r.Block), 40)])
			}
			for _, h := range []string{"\r\nX-Test: yes\r\n", "\r\nAuthorization: Basic [redacted]\r\n", "\r\nAccept-Encoding: gzip, deflate\r\n"} {
				if !bytes.Contains(r.Block, []byte(h)) {
					t.Errorf("request record of %s lacks %q, as sent:\n%s", p, h, r.Block)
				}
			}
		case "response":
			statuses[p] = append(statuses[p], r.Status)
			if _, dup := responses[p]; dup && p != "/busy" { // /busy is retried
				t.Errorf("%s archived twice", p)
			}
			responses[p] = r
		}
	}
	want := map[string]int{"/robots.txt": 200, "/": 200, "/a": 200, "/redirect": 302, "/b": 200, "/missing": 404,
		"/gz": 200, "/chunked": 200, "/big": 200, "/blob": 200, "/long": 200, "/cut": 200, "/busy": 200}
	// /busy: 503 twice, then 200 (its last response checked in this loop)
	truncated := map[string]string{"/blob": "unspecified", "/long": "unspecified", "/cut": "disconnect"}
	for p, status := range want {
		r, ok := responses[p]
		if !ok {
			t.Errorf("%s: no response record", p)
			continue
		}
		if requests[p] != 1 && p != "/busy" {
			t.Errorf("%s: %d request records", p, requests[p])
		}
		if r.Status != status {
			t.Errorf("%s: status %d, want %d", p, r.Status, status)
		}
		served := site.served[p]
		if p == "/big" {
			if r.Truncated != "length" || !bytes.Equal(r.Payload, served[:warcMaxBody]) {
				t.Errorf("/big: WARC-Truncated %q, %d payload bytes; want length and the first %d served", r.Truncated, len(r.Payload), warcMaxBody)
			}
			continue
		}
		if tr := truncated[p]; tr != "" {
			if r.Truncated != tr || !bytes.HasPrefix(served, r.Payload) || p == "/cut" && !bytes.Equal(r.Payload, served) {
				t.Errorf("%s: WARC-Truncated %q and %d payload bytes, want %s and a prefix of the %d served", p, r.Truncated, len(r.Payload), tr, len(served))
			}
			continue
		}
		if r.Truncated != "" || !bytes.Equal(r.Payload, served) {
			t.Errorf("%s: WARC-Truncated %q, payload %d bytes differs from the %d served", p, r.Truncated, len(r.Payload), len(served))
		}
	}
	if busy := fmt.Sprint(statuses["/busy"]); busy != "[503 503 200]" || requests["/busy"] != 3 {
		t.Errorf("/busy: responses %s and %d requests archived, want [503 503 200]: each retry archived", busy, requests["/busy"])
	}
	if len(responses) != len(want) {
		t.Errorf("%d responses archived, want %d", len(responses), len(want))
	}
	for _, rec := range recs.recs {
		if _, ok := responses[strings.TrimPrefix(rec.URL, base)]; !ok {
			t.Errorf("record of %s has no response record", rec.URL)
		}
	}
}
