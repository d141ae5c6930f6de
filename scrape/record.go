package scrape

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
}
