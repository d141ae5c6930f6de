package diskfrontier

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/poolscrape/poolscrape/internal/warcread"
	"github.com/poolscrape/poolscrape/scrape/record"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// codingSite serves one page, always the same HTML, without validators:
// gzip-encoded (the same gzip bytes each time) while gzip is set, plain
// otherwise.
type codingSite struct {
	mu   sync.Mutex
	gzip bool
}

const codingPage = "<html><head><title>same</title></head><body><p>the same body, however it is sent</p></body></html>"

func (s *codingSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	gz := s.gzip
	s.mu.Unlock()
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if !gz || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Write([]byte(codingPage))
		return
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(codingPage))
	zw.Close()
	w.Header().Set("Content-Encoding", "gzip")
	w.Write(b.Bytes())
}

func (s *codingSite) setGzip(gz bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gzip = gz
}

// TestRecrawlWARCRevisitDigestAcrossCodings recrawls a page whose decoded
// body never changes while its Content-Encoding switches between passes
// (gzip, plain, plain, gzip, gzip). An identical-payload-digest revisit is
// written only when the payload as received is the one of the response
// record it refers to: its WARC-Payload-Digest is that record's payload's
// (checked against the record read back); a payload sent in another coding
// is archived whole, in a response record. Each recrawl reports the page
// unchanged, its decoded body being the same.
func TestRecrawlWARCRevisitDigestAcrossCodings(t *testing.T) {
	site := &codingSite{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	byID := map[string]warcread.Record{} // every record of every pass
	passes := []struct {
		gzip bool
		want string // the record type of "/"
	}{{true, "response"}, {false, "response"}, {false, "revisit"}, {true, "response"}, {true, "revisit"}}
	var last warcread.Record // "/"'s response record most recently archived
	for i, p := range passes {
		site.setGzip(p.gzip)
		path := filepath.Join(t.TempDir(), "pass.warc")
		w, err := warc.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		recs, _ := crawlPassWARC(t, srv, dir, i > 0, w)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		got, err := warcread.File(path)
		if err != nil {
			t.Fatalf("pass %d: %v", i+1, err)
		}
		var root warcread.Record
		for _, r := range got {
			byID[r.ID] = r
			if (r.Type == "response" || r.Type == "revisit") && r.TargetURI == srv.URL+"/" {
				root = r
			}
		}
		if i > 0 && recs["/"].Change != record.ChangeUnchanged {
			t.Errorf("pass %d (gzip %v): change %q, want %q (the decoded body is the same)", i+1, p.gzip, recs["/"].Change, record.ChangeUnchanged)
		}
		if root.Type != p.want {
			t.Errorf("pass %d (gzip %v): %s record, want %s", i+1, p.gzip, root.Type, p.want)
		}
		switch root.Type {
		case "response":
			last = root
		case "revisit":
			orig, ok := byID[root.RefersTo]
			switch {
			case !ok || orig.Type != "response":
				t.Errorf("pass %d: revisit refers to %q, not a response record of an earlier pass", i+1, root.RefersTo)
			case root.PayloadDigest != warcread.Digest(orig.Payload):
				t.Errorf("pass %d: revisit's WARC-Payload-Digest %s, but the record it refers to holds a payload of %s",
					i+1, root.PayloadDigest, warcread.Digest(orig.Payload))
			case orig.ID != last.ID:
				t.Errorf("pass %d: revisit refers to %s, want the latest response record %s", i+1, orig.ID, last.ID)
			}
		}
	}
}
