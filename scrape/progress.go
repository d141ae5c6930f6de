package scrape

// Progress is told how the crawl goes after every record (Config.Progress):
// a terminal progress bar, a log line, a metrics gauge. Implementations must
// be safe for concurrent use and must not block.
type Progress interface {
	// Update reports records written (done) of URLs discovered, and how
	// many records were errors.
	Update(done, discovered, errors int64)
	// Finish ends the display.
	Finish()
}
