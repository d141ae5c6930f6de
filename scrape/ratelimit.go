package scrape

import (
	"context"
	"fmt"
	"math"
	"net/http"

	"golang.org/x/time/rate"
)

// RateLimiter paces a crawl's requests (Config.RateLimiter): Wait blocks
// until one more request may start, or fails when ctx ends first. It is
// called once per request on the wire, page fetches, redirect hops,
// robots.txt and sitemaps alike, from many goroutines at once.
type RateLimiter interface {
	Wait(ctx context.Context) error
}

// RateBurst is the burst of the limiter New makes from Config.Rate: a
// crawl idle for a while may send this many requests at once, then Rate a
// second. At 1, no two requests are closer than 1/Rate.
const RateBurst = 1

// newRateLimiter is the limiter of cfg: its RateLimiter, or one of Rate
// requests a second with RateBurst, or nil for no limit.
func newRateLimiter(cfg Config) (RateLimiter, error) {
	switch {
	case cfg.RateLimiter != nil:
		return cfg.RateLimiter, nil
	case cfg.Rate == 0:
		return nil, nil
	case cfg.Rate < 0 || math.IsNaN(cfg.Rate) || math.IsInf(cfg.Rate, 0):
		return nil, fmt.Errorf("%w: Rate %v (want requests a second, > 0, or 0 for no limit)", ErrConfig, cfg.Rate)
	}
	return rate.NewLimiter(rate.Limit(cfg.Rate), RateBurst), nil
}

// rateTransport makes every request wait for its limiter first.
type rateTransport struct {
	base    http.RoundTripper
	limiter RateLimiter
}

// limited wraps base with l (nil: base itself).
func limited(base http.RoundTripper, l RateLimiter) http.RoundTripper {
	if l == nil {
		return base
	}
	return &rateTransport{base: base, limiter: l}
}

// RoundTrip waits for the limiter, then sends req.
func (t *rateTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.limiter.Wait(req.Context()); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("waiting for the request rate limit to fetch %s: %w", req.URL.Redacted(), err)
	}
	return t.base.RoundTrip(req)
}

// CloseIdleConnections closes the idle connections of the transport below.
func (t *rateTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
