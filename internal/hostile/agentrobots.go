package hostile

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
)

// AgentRobots is a site whose robots.txt disallows /private to MyBot only
// (every other agent may fetch everything), and whose / links to /private
// and /public; it records each request's path and User-Agent values. Safe
// for concurrent use; the zero value is ready.
type AgentRobots struct {
	mu   sync.Mutex
	seen map[string][]string // path → User-Agents
}

// ServeHTTP records r and answers it.
func (s *AgentRobots) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.seen == nil {
		s.seen = map[string][]string{}
	}
	s.seen[r.URL.Path] = append(s.seen[r.URL.Path], r.Header.Values("User-Agent")...)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html")
	switch r.URL.Path {
	case "/robots.txt":
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "User-agent: MyBot\nDisallow: /private\n\nUser-agent: *\nAllow: /\n")
	case "/":
		fmt.Fprint(w, `<a href="/private">p</a> <a href="/public">q</a>`)
	default:
		fmt.Fprint(w, "<title>x</title>")
	}
}

// Requests returns a copy of what was requested so far: each path, with
// the User-Agent values of its requests.
func (s *AgentRobots) Requests() map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]string{}
	for p, uas := range s.seen {
		out[p] = slices.Clone(uas)
	}
	return out
}
