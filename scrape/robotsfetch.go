package scrape

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/temoto/robotstxt"
)

const (
	// maxRobotsBytes is the most of a robots.txt that is parsed (RFC 9309
	// §2.5 asks for at least 500 KiB); the rest is not read.
	maxRobotsBytes = 500 << 10
	// robotsAttempts is how many times an unreachable robots.txt is asked
	// for before the host is disallowed.
	robotsAttempts = 3
	// robotsMaxRedirects is how many redirects of a robots.txt request are
	// followed (RFC 9309 §2.3.1.2).
	robotsMaxRedirects = 5
	// robotsGatePoll is how often a robots.txt request waiting for one of
	// the host's slots asks the gate again.
	robotsGatePoll = 10 * time.Millisecond
)

// robotsAnswer is the outcome of one robots.txt request.
type robotsAnswer struct {
	data          *robotstxt.RobotsData // rules to obey; nil with no why: everything allowed
	why           string                // unreachable: the status or the error
	retryAfter    time.Duration
	hasRetryAfter bool
}

// load gets host's robots.txt: its rules (nil: everything allowed), or why
// it was unreachable.
func (r *robotsCache) load(ctx context.Context, scheme, host string) (*robotstxt.RobotsData, string) {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Budget)
	defer cancel()
	var why string
	for attempt := 0; ; attempt++ {
		a := r.attempt(ctx, scheme, host)
		if a.why == "" {
			return a.data, ""
		}
		why = fmt.Sprintf("%s (attempt %d of %d)", a.why, attempt+1, robotsAttempts)
		if attempt+1 >= robotsAttempts || ctx.Err() != nil {
			return nil, why
		}
		ra := a.retryAfter
		if a.hasRetryAfter && r.cfg.CapDelay != nil {
			ra = r.cfg.CapDelay(host, "Retry-After", ra)
		}
		wait := r.cfg.Retry.Backoff(attempt, ra, a.hasRetryAfter)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return nil, fmt.Sprintf("%s; the next attempt, in %v, is past the %v budget", why, wait, r.cfg.Budget)
		}
		if !sleepCtx(ctx, wait) {
			return nil, why
		}
	}
}

// attempt makes one robots.txt request, through the gate.
func (r *robotsCache) attempt(ctx context.Context, scheme, host string) robotsAnswer {
	if err := r.acquire(ctx, host); err != nil {
		return robotsAnswer{why: err.Error()}
	}
	o := Outcome{Fetched: true}
	a := r.get(ctx, scheme+"://"+host+"/robots.txt", &o)
	r.release(ctx, host, o)
	return a
}

// get requests u and sorts the answer as RFC 9309 §2.3.1 does; o gets the
// status and the latency.
func (r *robotsCache) get(ctx context.Context, u string, o *Outcome) robotsAnswer {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return robotsAnswer{why: err.Error()}
	}
	req.Header.Set("User-Agent", r.cfg.UserAgent)
	resp, err := r.client.Do(req)
	o.Latency = time.Since(start)
	if err != nil {
		return robotsAnswer{why: err.Error()}
	}
	defer resp.Body.Close()
	s := resp.StatusCode
	o.Status = s
	switch {
	case s >= 200 && s <= 299:
		body, err := readRobots(resp.Body)
		if err != nil {
			return robotsAnswer{why: fmt.Sprintf("reading the body of %s: %v", u, err)}
		}
		data, err := parseRobots(body)
		if err != nil {
			return robotsAnswer{why: fmt.Sprintf("parsing %s: %v", u, err)}
		}
		return robotsAnswer{data: data}
	case s >= 300 && s <= 499 && s != http.StatusTooManyRequests:
		return robotsAnswer{} // unavailable: 4xx, or a redirect not followed
	}
	a := robotsAnswer{why: fmt.Sprintf("HTTP %d from %s", s, resp.Request.URL)}
	a.retryAfter, a.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return a
}

// readRobots reads at most maxRobotsBytes of a robots.txt body (less if it
// decodes to more than Config.MaxBody); a line cut by the limit is dropped,
// as its rule would not be the one written.
func readRobots(body io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(body, maxRobotsBytes+1))
	if err != nil && !errors.Is(err, errBodyTooLarge) {
		return nil, err
	}
	if err == nil && len(b) <= maxRobotsBytes {
		return b, nil
	}
	b = b[:min(len(b), maxRobotsBytes)]
	return b[:bytes.LastIndexAny(b, "\r\n")+1], nil
}

// acquire waits (within ctx, the robots.txt budget) for one of host's
// slots at the gate.
func (r *robotsCache) acquire(ctx context.Context, host string) error {
	if r.cfg.Gate == nil {
		return nil
	}
	err := acquireGate(ctx, r.cfg.Gate, host)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w (within the robots.txt budget of %v)", err, r.cfg.Budget)
	}
	return err
}

// release gives the slot back, even when the load's budget has run out.
func (r *robotsCache) release(ctx context.Context, host string, o Outcome) {
	if r.cfg.Gate == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = r.cfg.Gate.Release(ctx, host, o)
}

// sleepCtx waits d, or less if ctx ends first (it then reports false).
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
