// Package hostile serves misbehaving web sites for the crawler's tests: each
// handler, in a file named for it, reproduces one way real servers break.
package hostile

import (
	"fmt"
	"net/http"
	"sync"
)

// Failure is how FlakyRedirect's failing hop answers its first request.
type Failure int

// The failures FlakyRedirect can play.
const (
	Fail503  Failure = iota // 503 Service Unavailable
	FailHang                // no answer until the client gives up (a timeout)
)

// FlakyRedirect is a site whose start page redirects through a chain that
// fails once: /start answers 301 to /hop, /hop answers 302 to /target,
// /target links to /below. The path FailAt (/hop or /target) fails its first
// request with Failure, then answers normally. Every other path is a small
// page. Safe for concurrent use.
type FlakyRedirect struct {
	FailAt  string
	Failure Failure

	mu   sync.Mutex
	hits map[string]int
}

// ServeHTTP serves the site.
func (s *FlakyRedirect) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.hit(r.URL.Path)
	if r.URL.Path == s.FailAt && n == 1 {
		switch s.Failure {
		case FailHang:
			<-r.Context().Done()
		default:
			http.Error(w, "try again", http.StatusServiceUnavailable)
		}
		return
	}
	switch r.URL.Path {
	case "/robots.txt":
		http.NotFound(w, r)
	case "/start":
		http.Redirect(w, r, "/hop", http.StatusMovedPermanently)
	case "/hop":
		http.Redirect(w, r, "/target", http.StatusFound)
	case "/target":
		fmt.Fprint(w, `<title>Target</title><a href="/below">below</a>`)
	default:
		fmt.Fprintf(w, `<title>%s</title>`, r.URL.Path)
	}
}

func (s *FlakyRedirect) hit(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hits == nil {
		s.hits = map[string]int{}
	}
	s.hits[path]++
	return s.hits[path]
}

// Hits returns how many requests path got.
func (s *FlakyRedirect) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}
