package scrape

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestStatsBytesOnWire: Stats.Bytes counts the records' decoded bodies,
// Stats.BytesOnWire the bodies as sent: for a gzipped page, the compressed
// size.
func TestStatsBytesOnWire(t *testing.T) {
	page := "<html><title>t</title>" + strings.Repeat("<p>the same words again</p>", 4000) + "</html>"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(page))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	}))
	defer srv.Close()
	_, st := crawl(t, srv, Config{Depth: 0, IgnoreRobots: true})
	if st.Bytes != int64(len(page)) {
		t.Errorf("Bytes = %d, want the decoded %d", st.Bytes, len(page))
	}
	if st.BytesOnWire != int64(gz.Len()) {
		t.Errorf("BytesOnWire = %d, want the gzipped %d", st.BytesOnWire, gz.Len())
	}
	var b strings.Builder
	_ = st.WriteSummary(&b)
	if !strings.Contains(b.String(), "bytes (decoded)") || !strings.Contains(b.String(), "bytes on the wire") {
		t.Errorf("summary does not say which bytes:\n%s", b.String())
	}
}
