package diskfrontier

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/warcread"
	"github.com/poolscrape/poolscrape/scrape/warc"
	bolt "go.etcd.io/bbolt"
)

// archivedPass is crawlPass archiving into a new WARC file, read back
// (digests checked); it returns the file's records by URL path.
func archivedPass(t *testing.T, srv *httptest.Server, dir string, recrawl bool) map[string]warcread.Record {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pass.warc")
	w, err := warc.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	crawlPassWARC(t, srv, dir, recrawl, w)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := warcread.File(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]warcread.Record{}
	for _, r := range recs {
		if r.Type == "response" || r.Type == "revisit" {
			out[strings.TrimPrefix(r.TargetURI, srv.URL)] = r
		}
	}
	return out
}

// checkRevisit fails unless got is a revisit of profile that names the
// response record orig in WARC-Refers-To, -Target-URI and -Date.
func checkRevisit(t *testing.T, pass, p string, got, orig warcread.Record, profile string) {
	t.Helper()
	switch {
	case got.Type != "revisit" || got.Profile != profile:
		t.Errorf("%s %s: %s record, profile %q; want a revisit, %s", pass, p, got.Type, got.Profile, profile)
	case orig.Type != "response":
		t.Errorf("%s %s: the capture revisited is a %s record, want a response", pass, p, orig.Type)
	case got.RefersTo != orig.ID || got.RefersToDate != orig.Date || got.RefersToTargetURI != orig.TargetURI:
		t.Errorf("%s %s: refers to %s of %s at %s, want %s of %s at %s", pass, p,
			got.RefersTo, got.RefersToTargetURI, got.RefersToDate, orig.ID, orig.TargetURI, orig.Date)
	}
}

// TestRecrawlWARCRefersToCapture archives four passes: each revisit
// record names the response record of the capture it revisits (the first
// pass's for a page never changed, through the passes that revisited it;
// the third pass's for a page that changed then) by WARC-Refers-To,
// WARC-Refers-To-Target-URI and WARC-Refers-To-Date (its WARC-Date).
func TestRecrawlWARCRefersToCapture(t *testing.T) {
	site := &conditionalSite{log: map[string][]http.Header{}, pages: map[string]page{
		"/": {links: []string{"/a", "/b", "/c"}, etag: `"r"`}, "/a": {etag: `"a"`}, "/b": {}, "/c": {},
	}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	first := archivedPass(t, srv, dir, false)
	notModified, samePayload := warc.ProfileServerNotModified, warc.ProfileIdenticalPayloadDigest
	profiles := map[string]string{"/": notModified, "/a": notModified, "/b": samePayload, "/c": samePayload}
	second := archivedPass(t, srv, dir, true)
	for p, profile := range profiles {
		checkRevisit(t, "second pass", p, second[p], first[p], profile)
	}
	site.set("/c", page{links: []string{"/"}}) // a new body
	third := archivedPass(t, srv, dir, true)
	for _, p := range []string{"/", "/a", "/b"} {
		checkRevisit(t, "third pass", p, third[p], first[p], profiles[p])
	}
	if third["/c"].Type != "response" {
		t.Fatalf("third pass /c: %s record, want a response (its body changed)", third["/c"].Type)
	}
	fourth := archivedPass(t, srv, dir, true)
	checkRevisit(t, "fourth pass", "/c", fourth["/c"], third["/c"], samePayload)
	checkRevisit(t, "fourth pass", "/", fourth["/"], first["/"], notModified)
}

// TestRecrawlWARCOldState: a state whose memos predate Captured,
// RecordID and PayloadDigest (stripped here from a real one) recrawls a
// 304 into a revisit record without WARC-Refers-To and
// WARC-Refers-To-Date, WARC-Refers-To-Target-URI kept, and a 200 with the
// same body into a response record (no digest to match: a revisit could
// claim a payload the earlier record does not hold), both reading back
// valid.
func TestRecrawlWARCOldState(t *testing.T) {
	site := &conditionalSite{log: map[string][]http.Header{}, pages: map[string]page{
		"/": {links: []string{"/a"}, etag: `"r"`}, "/a": {},
	}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	dir := t.TempDir()
	archivedPass(t, srv, dir, false)
	stripCaptures(t, dir)
	second := archivedPass(t, srv, dir, true)
	r := second["/"]
	if r.Type != "revisit" || r.RefersToTargetURI != srv.URL+"/" || r.RefersTo != "" || r.RefersToDate != "" {
		t.Errorf("/: %s record, WARC-Refers-To-Target-URI %q, WARC-Refers-To %q, WARC-Refers-To-Date %q; want a revisit of %s, no date nor record named",
			r.Type, r.RefersToTargetURI, r.RefersTo, r.RefersToDate, srv.URL+"/")
	}
	if r := second["/a"]; r.Type != "response" || !strings.Contains(string(r.Payload), "<title>/a</title>") {
		t.Errorf("/a: %s record with payload %q, want a response record with the page", r.Type, r.Payload)
	}
}

// stripCaptures removes Captured, RecordID and PayloadDigest from every
// memo of the state in dir, failing unless each memo had them.
func stripCaptures(t *testing.T, dir string) {
	t.Helper()
	f, err := Open(dir, testID, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(context.Background())
	err = f.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPages)
		stripped := map[string][]byte{}
		err := b.ForEach(func(k, v []byte) error {
			var m map[string]json.RawMessage // a BodyHash stays whole
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if m["Captured"] == nil || m["RecordID"] == nil || m["PayloadDigest"] == nil {
				t.Errorf("memo %s has no Captured, RecordID or PayloadDigest", v)
			}
			delete(m, "Captured")
			delete(m, "RecordID")
			delete(m, "PayloadDigest")
			nv, err := json.Marshal(m)
			stripped[string(k)] = nv
			return err
		})
		for k, v := range stripped {
			if err == nil {
				err = b.Put([]byte(k), v)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
