package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"
)

// TestBenchPrintsTheBaselines: bench with its baselines crawls the whole
// site with poolscrape, bare colly and the bare Go floor, and prints each
// one's rate and poolscrape's ratio to each; poolscrape and the floor get
// every page of the site once (bare colly fetches fragment variants too).
func TestBenchPrintsTheBaselines(t *testing.T) {
	var out bytes.Buffer
	f := benchFlags{pages: 50, fanout: 3, concurrency: 4, baseline: true}
	if err := runBench(context.Background(), &out, f, nil); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		`(?m)^poolscrape: 56 pages in \S+: \d+ pages/s$`,
		`(?m)^bare colly: \d+ pages in \S+: \d+ pages/s\nratio: \d+\.\d\dx$`,
		`(?m)^bare Go floor: 56 pages in \S+: \d+ pages/s\nratio to the floor: \d+\.\d\dx$`,
	} {
		if !regexp.MustCompile(line).Match(out.Bytes()) {
			t.Errorf("no line %s in:\n%s", line, out.String())
		}
	}
}
