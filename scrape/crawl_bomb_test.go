package scrape

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

// TestCrawlDecompressionBomb: a body of many GiB of zeros, gzip- or
// deflate-coded under any spelling (x-gzip, stacked codings, no
// Content-Encoding but a Content-Type naming gzip), fails its record with
// an error naming Config.MaxBody after decoding, and the crawl allocates
// far less than the bomb decodes to.
func TestCrawlDecompressionBomb(t *testing.T) {
	const maxBody = 1 << 20
	const decoded = 16 << 30
	cases := []struct {
		name, encoding, ctype string
		coding                hostile.BodyCoding
	}{
		{"x-gzip", "x-gzip", "text/html", hostile.GzipBody},
		{"gzip-identity", "gzip, identity", "text/html", hostile.GzipBody},
		{"implied-by-type", "", "text/plain; x=gzip", hostile.GzipBody},
		{"gzip", "gzip", "text/html", hostile.GzipBody},
		{"GZIP-upper", "GZIP", "text/html", hostile.GzipBody},
		{"deflate", "deflate", "text/html", hostile.ZlibBody},
		{"gzip-gzip", "gzip, gzip", "text/html", hostile.DoubleGzipBody},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bomb := &hostile.Bomb{ContentEncoding: tc.encoding, ContentType: tc.ctype, Coding: tc.coding, Decoded: decoded}
			srv := httptest.NewServer(bomb)
			defer srv.Close()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			out, _ := crawl(t, srv, Config{Starts: []string{srv.URL + "/bomb"}, Depth: 0, IgnoreRobots: true, MaxBody: maxBody, Retries: 0})
			runtime.ReadMemStats(&after)
			rec, ok := out.byPath(t)["/bomb"]
			want := "scrape: body over Config.MaxBody (1048576 bytes) after decoding"
			if !ok || !strings.Contains(rec.Error, want) {
				t.Fatalf("record %+v, want an error %q", rec, want)
			}
			if rec.Bytes != maxBody+1 {
				t.Errorf("bytes %d, want %d (more than the limit)", rec.Bytes, maxBody+1)
			}
			// The crawl may hold the limit a few times over (read buffers), never the bomb.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64*maxBody {
				t.Errorf("crawl allocated %d MiB for a %d MiB limit (the bomb decodes to %d GiB)", alloc>>20, maxBody>>20, decoded>>30)
			}
		})
	}
}

// TestDecodingTransport: small bodies under each coding decode whole, an
// unknown or too deeply stacked coding is an error, an empty coded body is
// empty, and a body that only its Content-Type calls gzip but is not gzip
// stays as it is.
func TestDecodingTransport(t *testing.T) {
	page := strings.Repeat("<p>hello</p>", 100)
	for _, tc := range []struct {
		encoding, ctype, path string
		coding                hostile.BodyCoding
		body, wantErr         string
	}{
		{encoding: "gzip", coding: hostile.GzipBody, body: page},
		{encoding: "x-gzip", coding: hostile.GzipBody, body: page},
		{encoding: "deflate", coding: hostile.ZlibBody, body: page},
		{encoding: "identity, gzip", coding: hostile.GzipBody, body: page},
		{encoding: "gzip, gzip", coding: hostile.DoubleGzipBody, body: page},
		{ctype: "application/x-gzip-text", coding: hostile.GzipBody, body: page},
		{ctype: "text/x-gzip", body: "not gzip at all"},
		{ctype: "application/xml", path: "/sitemap.xml.gz", coding: hostile.GzipBody, body: "<urlset></urlset>"},
		{encoding: "br", body: page, wantErr: `scrape: Content-Encoding not decoded: "br"`},
		{encoding: "gzip, gzip, gzip, gzip", coding: hostile.GzipBody, body: page, wantErr: "4 codings stacked"},
		{encoding: "gzip", body: ""},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Accept-Encoding") != acceptEncoding {
				t.Errorf("Accept-Encoding %q", r.Header.Get("Accept-Encoding"))
			}
			if tc.encoding != "" {
				w.Header().Set("Content-Encoding", tc.encoding)
			}
			w.Header().Set("Content-Type", tc.ctype)
			_, _ = w.Write(hostile.Encode(tc.coding, []byte(tc.body)))
		}))
		c := &http.Client{Transport: &decodingTransport{base: newTransport(1, 1), maxBody: 1 << 20}}
		got, err := get(c, srv.URL+tc.path)
		c.CloseIdleConnections()
		srv.Close()
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, errContentEncoding) {
				t.Errorf("%q: err %v, want %q", tc.encoding, err, tc.wantErr)
			}
		case err != nil || got != tc.body:
			t.Errorf("%q %q: got %d bytes, err %v; want %d bytes", tc.encoding, tc.ctype, len(got), err, len(tc.body))
		}
	}
}

func get(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// TestCrawlEndlessCodedBody: a gzip body that never ends and decodes to
// nothing (empty members, one after another) is cut at Config.Timeout, its
// record an error, however fast it streams.
func TestCrawlEndlessCodedBody(t *testing.T) {
	srv := httptest.NewServer(&hostile.Bomb{ContentEncoding: "x-gzip", ContentType: "text/html", Coding: hostile.EmptyMembers})
	defer srv.Close()
	out, _ := crawl(t, srv, Config{Starts: []string{srv.URL + "/endless"}, Depth: 0, IgnoreRobots: true, Timeout: time.Second, Retries: 0})
	rec := out.byPath(t)["/endless"]
	if !strings.Contains(rec.Error, "Client.Timeout") && !strings.Contains(rec.Error, "deadline exceeded") {
		t.Fatalf("record %+v, want a timeout error", rec)
	}
}
