// Package record holds what a crawl yields, one Record per URL, and the
// Writer interface that takes them. It imports only the standard library,
// so that code which writes or reads records (package output, a tool that
// checks a crawl's output) does not pull in the crawler.
package record

import "time"

// Record is what the crawl yields for one URL: one per URL it tried to fetch,
// failures included, so that every URL is accounted for.
type Record struct {
	URL         string              `json:"url"`
	FinalURL    string              `json:"final_url"`
	Status      int                 `json:"status"`
	Depth       int                 `json:"depth"`
	Referrer    string              `json:"referrer"`
	Title       string              `json:"title"`
	ContentType string              `json:"content_type"`
	Bytes       int64               `json:"bytes"` // body bytes received, decoded; 0 for a body not downloaded
	ElapsedMS   int64               `json:"elapsed_ms"`
	FetchedAt   time.Time           `json:"fetched_at"`
	Matches     map[string][]string `json:"matches"`
	Links       []string            `json:"links"`
	Error       string              `json:"error"`
	// Change says, in a recrawl (a second or later pass over a finished
	// crawl's state), how the URL compares with the previous pass: one of
	// the Change* constants. Empty outside a recrawl.
	Change string `json:"change,omitempty"`
}

// The values of Record.Change.
const (
	ChangeNew       = "new"       // not in the previous pass, never fetched, or failing the last time and answering now
	ChangeChanged   = "changed"   // fetched fine last time and again, its body differs
	ChangeUnchanged = "unchanged" // 304 Not Modified, a body identical to the last fetch's, or failing again
	ChangeGone      = "gone"      // fetched fine last time, now failing (404, 410, any error)
)

// Writer takes a crawl's records (scrape.Config.Output); output.Writer is
// one. Write must be safe for concurrent use and write each record whole.
type Writer interface {
	Write(rec Record) error
}
