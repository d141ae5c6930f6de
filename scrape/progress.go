package scrape

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress is told how the crawl goes after every record. Implementations
// must be safe for concurrent use and must not block.
type Progress interface {
	// Update reports records written (done) of URLs discovered, and how
	// many records were errors.
	Update(done, discovered, errors int64)
	// Finish ends the display.
	Finish()
}

// BarProgress draws a progress bar (schollz/progressbar) on a terminal:
// pages done of discovered, the rate, and errors.
type BarProgress struct {
	mu  sync.Mutex
	bar *progressbar.ProgressBar
}

// NewBarProgress draws on w, which should be a terminal (stderr).
func NewBarProgress(w io.Writer) *BarProgress {
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
	return &BarProgress{bar: bar}
}

// Update implements Progress.
func (p *BarProgress) Update(done, discovered, errors int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar.GetMax64() != discovered {
		p.bar.ChangeMax64(discovered)
	}
	p.bar.Describe(fmt.Sprintf("crawling (%d errors)", errors))
	_ = p.bar.Set64(done)
}

// Finish implements Progress.
func (p *BarProgress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Finish()
}
