package resume

import (
	"context"
	"errors"
	"fmt"

	"github.com/poolscrape/poolscrape/output"
	"github.com/poolscrape/poolscrape/scrape"
)

// ErrOutput is returned (wrapped) by Prepare when the crawl's output cannot
// be resumed into: output.Recover failed on it.
var ErrOutput = errors.New("resume: cannot resume into the output")

// Counter is a persistent frontier as Prepare reads it; the frontiers of
// diskfrontier and redisfrontier are ones.
type Counter interface {
	Counts(ctx context.Context) (scrape.FrontierCounts, error)
}

// Marker is a frontier that takes the URLs whose records are in the output
// already, so that none is fetched again: diskfrontier's, whose grouped
// acks a crash may lose, and redisfrontier's, whose process may die between
// writing a record and acking it.
type Marker interface {
	MarkWritten(ctx context.Context, urls []string) (int, error)
}

// Plan is what Prepare found.
type Plan struct {
	State  State
	Marked int // URLs of whole records in the output that the Marker marked done
}

// Prepare tells whether the crawl in f is New, Unfinished or Finished and,
// when it is unfinished, readies its output for appending: output.Recover
// cuts a torn last record off the file at outPath (in format, as for
// output.Open; "" or output.Stdout: nothing to read back) and, if f is a
// Marker, the URLs of the whole records are marked written.
func Prepare(ctx context.Context, f Counter, outPath string, format output.Format) (Plan, error) {
	c, err := f.Counts(ctx)
	if err != nil {
		return Plan{}, fmt.Errorf("resume: reading the frontier's counters: %w", err)
	}
	p := Plan{State: StateOf(c)}
	if p.State != Unfinished || outPath == "" || outPath == output.Stdout {
		return p, nil
	}
	rec, err := output.Recover(outPath, format)
	if err != nil {
		return p, fmt.Errorf("%w: %w", ErrOutput, err)
	}
	m, ok := f.(Marker)
	if !ok {
		return p, nil
	}
	urls := make([]string, 0, len(rec.URLs))
	for u := range rec.URLs {
		urls = append(urls, u)
	}
	if p.Marked, err = m.MarkWritten(ctx, urls); err != nil {
		return p, fmt.Errorf("resume: marking the output's URLs written: %w", err)
	}
	return p, nil
}
