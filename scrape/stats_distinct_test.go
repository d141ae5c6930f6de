package scrape

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestStatsSkipsCountDistinctURLs: off-scope and binary links are counted
// once per URL, however many pages link them (like robots-blocked URLs).
func TestStatsSkipsCountDistinctURLs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<a href="/a">a</a><a href="/b">b</a><a href="http://other.test/x">x</a><a href="http://other.test/x">x</a><a href="/f.pdf">f</a>`)
		default:
			fmt.Fprint(w, `<a href="http://other.test/x">x</a><a href="http://other.test/y">y</a><a href="/f.pdf">f</a><a href="/g.zip">g</a>`)
		}
	}))
	defer srv.Close()
	_, st := crawl(t, srv, Config{Depth: 1, IgnoreRobots: true})
	if st.OffScope != 2 || st.BinarySkipped != 2 {
		t.Errorf("off scope %d, binary skipped %d; want 2 and 2 distinct URLs", st.OffScope, st.BinarySkipped)
	}
}

// TestDistinctSkipsFull: past maxDistinctSkips a remembered URL still
// counts once, and one not remembered counts as new.
func TestDistinctSkipsFull(t *testing.T) {
	var d distinctSkips
	for i := range maxDistinctSkips {
		if !d.isNew(fmt.Sprint("http://h/", i)) {
			t.Fatalf("URL %d not new", i)
		}
	}
	if d.isNew("http://h/7") {
		t.Error("a remembered URL counted again once the set is full")
	}
	for range 2 {
		if !d.isNew("http://h/new") {
			t.Error("a URL not remembered (set full) not counted each time")
		}
	}
}
