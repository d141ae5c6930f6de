package main

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/poolscrape/poolscrape/internal/ordertest"
)

// arrivals serves inner, or else ordertest's tree (and a robots.txt that
// allows everything), and records when each request arrived.
type arrivals struct {
	mu    sync.Mutex
	times []time.Time
	inner http.Handler
}

func (a *arrivals) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.times = append(a.times, time.Now())
	a.mu.Unlock()
	if a.inner != nil {
		a.inner.ServeHTTP(w, r)
		return
	}
	if r.URL.Path == "/robots.txt" {
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		return
	}
	w.Header().Set("Content-Type", "text/html")
	for _, c := range ordertest.Children(r.URL.Path) {
		fmt.Fprintf(w, `<a href="%s">%s</a> `, c, c)
	}
}

// span is how many requests arrived and the time from the first to the last.
func (a *arrivals) span() (int, time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ts := slices.Clone(a.times)
	slices.SortFunc(ts, func(x, y time.Time) int { return x.Compare(y) })
	if len(ts) == 0 {
		return 0, 0
	}
	return len(ts), ts[len(ts)-1].Sub(ts[0])
}
