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

// KindProgress is a Progress that is told the failed records by kind: the
// crawler calls UpdateKinds instead of Update when Config.Progress has it.
type KindProgress interface {
	Progress
	UpdateKinds(ProgressCounts)
}

// ProgressCounts is what KindProgress.UpdateKinds is told.
type ProgressCounts struct {
	Done       int64 // records written by this run
	CrawlDone  int64 // URLs settled by the whole crawl (a resumed one's earlier runs included)
	Discovered int64 // distinct URLs seen by the whole crawl (a resumed one included)
	Errors     int64 // records with an error, of which:
	Errors4xx  int64 // a final 4xx answer
	Errors5xx  int64 // a final 5xx answer
}
