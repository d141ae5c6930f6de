package testsite

import (
	"maps"
	"sync"
)

// Site is one synthetic web site: its pages, and the count of requests it
// has answered per path. It is safe for concurrent use.
type Site struct {
	cfg Config

	mu       sync.Mutex
	requests map[string]int // path (with "?query" when there is one) → count
	total    int
}

// New returns the site cfg describes, or an error wrapping ErrConfig that
// names the bad field.
func New(cfg Config) (*Site, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Site{cfg: cfg, requests: make(map[string]int)}, nil
}

// Config returns the site's configuration, defaults filled in.
func (s *Site) Config() Config { return s.cfg }

// count records one request for key and returns how many key has had,
// this one included.
func (s *Site) count(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[key]++
	s.total++
	return s.requests[key]
}

// Requests returns how many requests path has had. path is as requested,
// with "?query" when the request had one ("/img/photo.png?size=large").
func (s *Site) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

// TotalRequests returns how many requests the site has answered in all,
// robots.txt included.
func (s *Site) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// RequestsPerPath returns a copy of the request counts, keyed as Requests.
func (s *Site) RequestsPerPath() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.requests)
}
