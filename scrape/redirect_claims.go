package scrape

import (
	"context"
	"fmt"
	"sync"
)

// redirectClaims remembers, per fetch in flight (keyed by the canonical URL
// it started from), the redirect targets its chain marked seen, and why the
// chain was cut short (a loop, too many hops), for the record. When the
// fetch is retried or given back, they are unmarked, so that the next
// attempt can follow the chain again: otherwise a target that failed once
// would be found seen and the chain would end at its first 3xx, losing the
// target and everything below it. Safe for concurrent use.
type redirectClaims struct {
	mu sync.Mutex
	by map[string]*chain
}

// chain is what one fetch's redirects left behind.
type chain struct {
	targets []string // marked seen by this fetch
	cut     error    // why the chain stopped at a 3xx; nil if it did not
}

// get returns from's chain, making it; the caller holds r.mu.
func (r *redirectClaims) get(from string) *chain {
	if r.by == nil {
		r.by = map[string]*chain{}
	}
	ch := r.by[from]
	if ch == nil {
		ch = &chain{}
		r.by[from] = ch
	}
	return ch
}

// add records that the fetch of from marked target.
func (r *redirectClaims) add(from, target string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := r.get(from)
	ch.targets = append(ch.targets, target)
}

// cut records why the fetch of from stopped following redirects.
func (r *redirectClaims) cut(from string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.get(from).cut = err
}

// take returns and forgets the chain of the fetch of from (never nil).
func (r *redirectClaims) take(from string) *chain {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := r.by[from]
	delete(r.by, from)
	if ch == nil {
		ch = &chain{}
	}
	return ch
}

// unclaim unmarks the redirect targets the fetch of from marked; an error
// is the frontier's and fatal.
func (c *Crawler) unclaim(ctx context.Context, from string) error {
	for _, t := range c.claims.take(from).targets {
		if err := c.frontier.Unmark(ctx, t); err != nil {
			return fmt.Errorf("scrape: frontier unmark redirect target %s of %s: %w", t, from, err)
		}
	}
	return nil
}
