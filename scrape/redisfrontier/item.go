package redisfrontier

import (
	"encoding/json"
	"fmt"
	"time"
)

// Request is one URL in the job's queue.
type Request struct {
	URL      string // canonical URL: the dedupe key
	Host     string // its host, for politeness
	Depth    int    // link hops from a start URL
	Referrer string // the page the link was found on
	Attempt  int    // fetches already tried
}

// wire is a request as the scripts store it (the URL is the hash field).
type wire struct {
	D  int     `json:"d"`
	R  string  `json:"r"`
	H  string  `json:"h"`
	A  int     `json:"a,omitempty"`
	NB float64 `json:"nb,omitempty"` // not before, ms on Redis's clock
	S  float64 `json:"s,omitempty"`  // queue sequence
}

func encodeRequest(r Request) (string, error) {
	b, err := json.Marshal(wire{D: r.Depth, R: r.Referrer, H: r.Host, A: r.Attempt})
	if err != nil {
		return "", fmt.Errorf("encoding %s: %w", r.URL, err)
	}
	return string(b), nil
}

func decodeRequest(url, raw string) (Request, error) {
	var w wire
	if err := json.Unmarshal([]byte(raw), &w); err != nil {
		return Request{}, fmt.Errorf("decoding the stored request for %s: %w", url, err)
	}
	return Request{URL: url, Host: w.H, Depth: w.D, Referrer: w.R, Attempt: w.A}, nil
}

func jsonIdentity(id Identity) (string, error) {
	b, err := json.Marshal(id)
	if err != nil {
		return "", fmt.Errorf("encoding crawl identity: %w", err)
	}
	return string(b), nil
}

func decodeJSON(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// msDuration turns a script's millisecond count into a duration.
func msDuration(n int64) time.Duration { return time.Duration(n) * time.Millisecond }
