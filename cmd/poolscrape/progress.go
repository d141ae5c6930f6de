package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// barProgress is the crawl's scrape.Progress on a terminal: a progress bar
// (schollz/progressbar) of the whole crawl's URLs done of discovered (a
// resumed crawl's earlier runs included), and this run's pages and failed
// records by kind.
type barProgress struct {
	mu  sync.Mutex
	w   io.Writer
	bar *progressbar.ProgressBar
}

// newBarProgress draws on w, which should be a terminal (stderr).
func newBarProgress(w io.Writer) *barProgress {
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("crawl"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("pages"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
	)
	return &barProgress{w: w, bar: bar}
}

// Update implements scrape.Progress.
func (p *barProgress) Update(done, discovered, errors int64) {
	p.UpdateKinds(scrape.ProgressCounts{Done: done, Discovered: discovered, Errors: errors})
}

// UpdateKinds implements scrape.KindProgress: the failed records by kind.
func (p *barProgress) UpdateKinds(c scrape.ProgressCounts) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar.GetMax64() != c.Discovered {
		p.bar.ChangeMax64(c.Discovered)
	}
	p.bar.Describe(barDescription(c))
	_ = p.bar.Set64(max(c.CrawlDone, c.Done))
}

// barDescription labels what the bar counts: the bar itself is the whole
// crawl; the text this run's pages and failed records (an error record: a
// network failure, or a 4xx or 5xx answer) by kind.
func barDescription(c scrape.ProgressCounts) string {
	if c.Errors == 0 {
		return fmt.Sprintf("crawl (this run: %d pages, 0 failed)", c.Done)
	}
	return fmt.Sprintf("crawl (this run: %d pages, failed: %d 4xx, %d 5xx, %d network/other)",
		c.Done, c.Errors4xx, c.Errors5xx, c.Errors-c.Errors4xx-c.Errors5xx)
}

// Finish implements scrape.Progress.
func (p *barProgress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Finish()
}

// Println clears the bar's line and writes msg on a line of its own; the
// bar comes back on its next update.
func (p *barProgress) Println(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Clear()
	fmt.Fprintln(p.w, msg)
}

// stderrBar is the progress bar drawn on stderr, if any: messages to stderr
// go through it (stderrLine) so that none is glued to the bar.
var stderrBar atomic.Pointer[barProgress]

// stderrLine writes msg on a line of stderr of its own, clearing the
// progress bar's line first if one is drawn.
func stderrLine(msg string) {
	if b := stderrBar.Load(); b != nil {
		b.Println(msg)
		return
	}
	fmt.Fprintln(os.Stderr, msg)
}

// progressWanted says whether --progress WHEN (auto, always, never) draws
// the bar on stderr. auto draws it when stderr is a terminal that the
// records are not also written to: records on the same terminal (-o - or
// -o /dev/stdout with stdout the terminal stderr is) would get the bar drawn
// into their lines. A different terminal, a file or a pipe is fine.
func progressWanted(when, output string, stdout, stderr *os.File) bool {
	switch when {
	case "never":
		return false
	case "always":
		return true
	}
	if !term.IsTerminal(int(stderr.Fd())) {
		return false
	}
	errInfo, err := stderr.Stat()
	if err != nil {
		return false
	}
	var recInfo os.FileInfo
	if output == "-" {
		recInfo, err = stdout.Stat()
	} else {
		recInfo, err = os.Stat(output) // not there yet: a new file
	}
	return err != nil || !os.SameFile(recInfo, errInfo)
}
