package warc_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/warcread"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// TestOverwriteEmptiesAtFirstWrite: Overwrite leaves an existing file as
// it was when the Writer is closed unused, and the first record written
// replaces the whole file (even a longer one), so that it holds only this
// Writer's records.
func TestOverwriteEmptiesAtFirstWrite(t *testing.T) {
	for _, name := range []string{"a.warc", "a.warc.gz"} {
		path := filepath.Join(t.TempDir(), name)
		old := strings.Repeat("the user's earlier file\n", 4000)
		if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
		w, err := warc.Overwrite(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != old {
			t.Fatalf("%s: an unused Overwrite changed the file (%d bytes, was %d)", name, len(got), len(old))
		}
		if w, err = warc.Overwrite(path); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteInfo(time.Now(), []warc.Field{{Name: "software", Value: "test"}}); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteExchange(exchange(1, 10)); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		recs, err := warcread.File(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(recs) != 3 || recs[0].Type != "warcinfo" {
			t.Errorf("%s: %d records, want warcinfo, request, response", name, len(recs))
		}
	}
}
