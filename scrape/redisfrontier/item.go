package redisfrontier

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
)

// wire is a request as the scripts store it (the URL is the hash field).
// Its NotBefore is Redis's clock, set by Retry.
type wire struct {
	D  int     `json:"d"`
	R  string  `json:"r"`
	H  string  `json:"h"` // scrape.HostOf the URL, for politeness
	A  int     `json:"a,omitempty"`
	NB float64 `json:"nb,omitempty"` // not before, ms on Redis's clock
	S  float64 `json:"s,omitempty"`  // queue sequence
}

func encodeRequest(r scrape.Request) (string, error) {
	b, err := json.Marshal(wire{D: r.Depth, R: r.Referrer, H: scrape.HostOf(r.URL), A: r.Attempt})
	if err != nil {
		return "", fmt.Errorf("redisfrontier: encoding %s: %w", r.URL, err)
	}
	return string(b), nil
}

// decodeRequest returns the stored request for url and its host.
func decodeRequest(url, raw string) (scrape.Request, string, error) {
	var w wire
	if err := json.Unmarshal([]byte(raw), &w); err != nil {
		return scrape.Request{}, "", fmt.Errorf("redisfrontier: decoding the stored request for %s: %w", url, err)
	}
	return scrape.Request{URL: url, Depth: w.D, Referrer: w.R, Attempt: w.A}, w.H, nil
}

// msDuration turns a script's millisecond count into a duration.
func msDuration(n int64) time.Duration { return time.Duration(n) * time.Millisecond }
