package output

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/childtest"
)

// childWriter is the role of the child process TestKilledWriter kills: its
// argument is the output file, formatEnv names the format.
const (
	childWriter = "output-writer"
	formatEnv   = "POOLSCRAPE_OUTPUT_TEST_FORMAT"
)

// runChildWriter writes records from 4 goroutines to path until killed,
// saying "ready" on stdout once some are written.
func runChildWriter(path string) int {
	w, err := Open(path, Format(os.Getenv(formatEnv)), testRules, WithAppend())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var once sync.Once
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; ; i += 4 {
				rec := sampleRecord(i)
				rec.Title = strings.Repeat("x", 1000*(i%50))
				if err := w.Write(rec); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				if i > 200 {
					once.Do(func() { fmt.Println("ready") })
				}
			}
		})
	}
	wg.Wait()
	return 0
}

// TestKilledWriter kills a writer process with SIGKILL mid-crawl, twice,
// resuming in between as a crawl would: after Recover the file always
// reads back whole, and the records Recover reported are still there.
func TestKilledWriter(t *testing.T) {
	for _, format := range []string{"jsonl", "csv"} {
		path := tempPath(t, format)
		prev := 0
		for round := range 2 {
			killChild(t, path, format)
			rec, err := Recover(path, "")
			if err != nil {
				t.Fatalf("%s round %d: %v", format, round, err)
			}
			recs, err := ReadFile(path, "")
			if err != nil || len(recs) != rec.Records || rec.Records <= prev {
				t.Fatalf("%s round %d: Recover %d records (before %d), ReadFile %d, %v", format, round, rec.Records, prev, len(recs), err)
			}
			prev = rec.Records
		}
	}
}

// killChild starts a child writer on path, waits until it has written,
// and kills it.
func killChild(t *testing.T, path, format string) {
	t.Helper()
	c := childtest.Start(t, childWriter, path, formatEnv+"="+format)
	if line := c.ReadLine(t); line != "ready" {
		t.Fatalf("child said %q", line)
	}
	time.Sleep(20 * time.Millisecond) // let it be mid-write
	if err := c.Kill(); err == nil {
		t.Fatal("child exited cleanly before the kill")
	}
}
