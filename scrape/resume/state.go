package resume

import "github.com/poolscrape/poolscrape/scrape"

// State is what a persistent frontier holds when a crawl opens it.
type State int

// The states StateOf tells apart.
const (
	// New: nothing was ever seen: the crawl starts afresh.
	New State = iota
	// Unfinished: URLs are queued or leased: the crawl resumes (or joins a
	// running job), appending to its output.
	Unfinished
	// Finished: URLs were seen and none is queued or leased: there is
	// nothing left to do.
	Finished
)

// StateOf tells from a frontier's counters whether its crawl is new,
// unfinished or finished.
func StateOf(c scrape.FrontierCounts) State {
	switch {
	case c.Seen == 0:
		return New
	case c.Queued == 0 && c.Leased == 0:
		return Finished
	}
	return Unfinished
}

// Resumed reports whether the frontier held work from an earlier run (so
// the crawl appends to its output).
func (s State) Resumed() bool { return s != New }
