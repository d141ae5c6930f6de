package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// TestNoPackagePrefixInMessages: failing commands speak to a person: no
// library package prefix ("scrape: ", "output: ", ...) reaches stderr.
func TestNoPackagePrefixInMessages(t *testing.T) {
	bin := crawlBin(t)
	site, _ := testsite.New(testsite.Config{})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	prefix := regexp.MustCompile(`\b(scrape|output|redisfrontier|diskfrontier|resume|record|executor|echo): `)
	for _, args := range [][]string{
		{"crawl", "-q", "-o", filepath.Join(dir, "records"), srv.URL + "/"},                                         // format from no extension
		{"crawl", "-q", "-o", filepath.Join(notDir, "o.jsonl"), srv.URL + "/"},                                      // cannot create
		{"crawl", "-q", "--state", filepath.Join(notDir, "st"), "-o", filepath.Join(dir, "s.jsonl"), srv.URL + "/"}, // state not a folder
		{"crawl", "-q", "--regex", "a=(", srv.URL + "/"},
		{"crawl", "-q", "--css", "a=[[", srv.URL + "/"},
		{"crawl", "-q", "http://[::1/"},
		{"crawl", "-q", "--scope", "planet", srv.URL + "/"},
		{"echo", "-q", "--listen", "256.0.0.1:http"},
		{"echo", "--pool", "fibre"},
	} {
		code, stderr := crawlRun(t, bin, "", args...)
		if code == 0 {
			t.Errorf("%v: exit 0, want a failure", args)
		}
		if m := prefix.FindString(stderr); m != "" {
			t.Errorf("%v: %q in the message:\n%s", args, m, stderr)
		}
	}
}
