package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// barProgress is the crawl's scrape.Progress on a terminal: a progress bar
// (schollz/progressbar) of pages done of discovered, the rate, and errors.
type barProgress struct {
	mu  sync.Mutex
	bar *progressbar.ProgressBar
}

// newBarProgress draws on w, which should be a terminal (stderr).
func newBarProgress(w io.Writer) *barProgress {
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("crawling"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("pages"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
	)
	return &barProgress{bar: bar}
}

// Update implements scrape.Progress.
func (p *barProgress) Update(done, discovered, errors int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar.GetMax64() != discovered {
		p.bar.ChangeMax64(discovered)
	}
	p.bar.Describe(fmt.Sprintf("crawling (%d errors)", errors))
	_ = p.bar.Set64(done)
}

// Finish implements scrape.Progress.
func (p *barProgress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Finish()
}
