package resume_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/diskfrontier"
	"github.com/poolscrape/poolscrape/scrape/resume"
)

// TestPrepareOnDisk: with a real on-disk frontier, Prepare tells a new
// crawl, readies the output of an unfinished one (the torn last line cut,
// the written URLs marked done) and tells a finished one; an output that
// cannot be appended to is ErrOutput.
func TestPrepareOnDisk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	out := filepath.Join(dir, "out.jsonl")
	f, err := diskfrontier.Open(filepath.Join(dir, "state"), resume.Identity{"k": "v"}, diskfrontier.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close(ctx)
	if p, err := resume.Prepare(ctx, f, out, ""); err != nil || p.State != resume.New {
		t.Fatalf("Prepare of an empty frontier = %+v, %v; want New", p, err)
	}
	f.Push(ctx, scrape.Request{URL: "http://a.test/1"}, scrape.Request{URL: "http://a.test/2"})
	whole := `{"url":"http://a.test/1"}` + "\n"
	if err := os.WriteFile(out, []byte(whole+`{"url":"http://a.te`), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := resume.Prepare(ctx, f, out, "")
	if err != nil || p.State != resume.Unfinished || p.Marked != 1 {
		t.Fatalf("Prepare of an unfinished crawl = %+v, %v; want Unfinished, 1 marked", p, err)
	}
	if b, _ := os.ReadFile(out); string(b) != whole {
		t.Errorf("output after Prepare %q, want the torn line cut: %q", b, whole)
	}
	if _, err := resume.Prepare(ctx, f, filepath.Join(dir, "out.json"), ""); !errors.Is(err, resume.ErrOutput) {
		t.Errorf("Prepare into a JSON array: %v, want ErrOutput", err)
	}
	l, _, err := f.Pop(ctx, nil)
	if err != nil || l.URL != "http://a.test/2" {
		t.Fatalf("Pop = %v, %v; want the URL not written, http://a.test/2", l.URL, err)
	}
	f.Ack(ctx, l)
	if p, err := resume.Prepare(ctx, f, out, ""); err != nil || p.State != resume.Finished {
		t.Fatalf("Prepare of a finished crawl = %+v, %v; want Finished", p, err)
	}
}
