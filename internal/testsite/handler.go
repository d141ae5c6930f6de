package testsite

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Handler returns the site's HTTP handler, for httptest.NewServer or any
// http.Server. Every request is counted (see Requests) before it is
// answered, whatever its answer.
func (s *Site) Handler() http.Handler { return http.HandlerFunc(s.serve) }

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	nth := s.count(key)
	if !sleep(r.Context(), s.cfg.Latency) {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	p, ok := s.build(r.URL.Path, origin{scheme: scheme, host: r.Host})
	if !ok {
		p = missing()
	}
	if !sleep(r.Context(), p.delay) {
		return
	}
	if p.failFirst != 0 && nth == 1 {
		w.Header().Set("Retry-After", p.retryAfter)
		http.Error(w, http.StatusText(p.failFirst), p.failFirst)
		return
	}
	write(w, r, p)
}

// write sends p's headers and body.
func write(w http.ResponseWriter, r *http.Request, p *page) {
	body := p.render()
	h := w.Header()
	h.Set("Content-Type", p.contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if p.location != "" {
		h.Set("Location", p.location)
	}
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body) // a client gone away is no error of the site's
	}
}

// sleep waits d, and reports false if ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
