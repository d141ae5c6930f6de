package hostile

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RobotsAnswer is how a Robots site answers one request for /robots.txt.
type RobotsAnswer struct {
	Status     int    // 0: 200
	Body       string // the robots.txt (with a 2xx) or an error page
	RetryAfter string // the Retry-After header, if not empty
	// Redirects, if > 0, answers with that many redirects first:
	// /robots.txt → /robots/hop/1 → … → /robots/hop/N, which answers.
	Redirects int
	// Hangup closes the connection without an answer.
	Hangup bool
	// Endless streams comment lines after Body until the client stops
	// reading (at most 64 MiB).
	Endless bool
}

// Robots is a site whose robots.txt misbehaves as told and whose pages are
// well-behaved: / links to /page/0 … /page/N-1 and to /private/; every page
// is a small HTML page. Safe for concurrent use; the zero value serves a 200
// empty robots.txt and no pages.
type Robots struct {
	// Answers are used in turn, one per /robots.txt request; the last one
	// repeats.
	Answers []RobotsAnswer
	Pages   int
	// PageRetryAfter, if not empty, answers the first request for each page
	// 503 with this Retry-After.
	PageRetryAfter string

	mu       sync.Mutex
	next     int
	hits     map[string]int
	arrivals []Arrival
}

// Arrival is one request the site got.
type Arrival struct {
	Path string
	At   time.Time
}

// maxEndless bounds an Endless robots.txt.
const maxEndless = 64 << 20

// ServeHTTP implements http.Handler.
func (s *Robots) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.arrive(r.URL.Path)
	switch {
	case r.URL.Path == "/robots.txt":
		s.serveRobots(w, r, s.answer(), 0)
	case strings.HasPrefix(r.URL.Path, "/robots/hop/"):
		i, _ := strconv.Atoi(r.URL.Query().Get("answer"))
		hop, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/robots/hop/"))
		s.mu.Lock()
		a := s.Answers[min(i, len(s.Answers)-1)]
		s.mu.Unlock()
		s.serveRobots(w, r, indexed{a, i}, hop)
	case r.URL.Path == "/":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>home</title></head><body>")
		for i := range s.Pages {
			fmt.Fprintf(w, `<a href="/page/%d">page %d</a> `, i, i)
		}
		fmt.Fprint(w, `<a href="/private/">private</a></body></html>`)
	case n == 1 && s.PageRetryAfter != "":
		w.Header().Set("Retry-After", s.PageRetryAfter)
		http.Error(w, "come back later", http.StatusServiceUnavailable)
	default:
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<html><head><title>%s</title></head><body>ok</body></html>", r.URL.Path)
	}
}

type indexed struct {
	RobotsAnswer
	i int
}

func (s *Robots) arrive(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hits == nil {
		s.hits = map[string]int{}
	}
	s.hits[path]++
	s.arrivals = append(s.arrivals, Arrival{Path: path, At: time.Now()})
	return s.hits[path]
}

// answer picks the next robots.txt answer.
func (s *Robots) answer() indexed {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.Answers) == 0 {
		return indexed{RobotsAnswer{}, 0}
	}
	i := min(s.next, len(s.Answers)-1)
	s.next++
	return indexed{s.Answers[i], i}
}

func (s *Robots) serveRobots(w http.ResponseWriter, r *http.Request, a indexed, hop int) {
	if hop < a.Redirects {
		http.Redirect(w, r, fmt.Sprintf("/robots/hop/%d?answer=%d", hop+1, a.i), http.StatusMovedPermanently)
		return
	}
	if a.Hangup {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if a.RetryAfter != "" {
		w.Header().Set("Retry-After", a.RetryAfter)
	}
	w.Header().Set("Content-Type", "text/plain")
	status := a.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if _, err := fmt.Fprint(w, a.Body); err != nil || !a.Endless {
		return
	}
	line := []byte("# " + strings.Repeat("filler ", 140) + "\n")
	for sent := 0; sent < maxEndless; sent += len(line) {
		if _, err := w.Write(line); err != nil {
			return
		}
	}
}

// Hits is how many requests path got.
func (s *Robots) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// PageHits is how many requests went to pages other than robots.txt and
// its redirects.
func (s *Robots) PageHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, a := range s.arrivals {
		if a.Path != "/robots.txt" && !strings.HasPrefix(a.Path, "/robots/") {
			n++
		}
	}
	return n
}

// Arrivals are the requests so far, in order.
func (s *Robots) Arrivals() []Arrival {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Arrival(nil), s.arrivals...)
}
