package scrape

import (
	"context"
	"fmt"
	"sync"
)

// redirectClaims remembers, per fetch in flight (keyed by the canonical URL
// it started from), the redirect targets its chain marked seen. When the
// fetch is retried or given back, they are unmarked, so that the next
// attempt can follow the chain again: otherwise a target that failed once
// would be found seen and the chain would end at its first 3xx, losing the
// target and everything below it. Safe for concurrent use.
type redirectClaims struct {
	mu sync.Mutex
	by map[string][]string
}

// add records that the fetch of from marked target.
func (r *redirectClaims) add(from, target string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.by == nil {
		r.by = map[string][]string{}
	}
	r.by[from] = append(r.by[from], target)
}

// take returns and forgets the targets the fetch of from marked.
func (r *redirectClaims) take(from string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.by[from]
	delete(r.by, from)
	return t
}

// unclaim unmarks the redirect targets the fetch of from marked; an error
// is the frontier's and fatal.
func (c *Crawler) unclaim(ctx context.Context, from string) error {
	for _, t := range c.claims.take(from) {
		if err := c.frontier.Unmark(ctx, t); err != nil {
			return fmt.Errorf("scrape: frontier unmark redirect target %s of %s: %w", t, from, err)
		}
	}
	return nil
}
