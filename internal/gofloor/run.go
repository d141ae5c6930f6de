package gofloor

import (
	"context"
	"sync"
)

// result is what a worker reports for one URL: whether it was a page, and
// the links on it not seen before.
type result struct {
	page  bool
	links []string
}

// run feeds the workers from an unbounded queue, counting the URLs in
// flight: the crawl ends when the queue is empty and nothing is in flight.
// When ctx ends it stops handing out URLs and waits for those in flight.
func (c *crawler) run(ctx context.Context, start string, workers int) (int64, error) {
	work := make(chan string)
	results := make(chan result)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range work {
				results <- c.visit(ctx, u)
			}
		}()
	}
	var pages int64
	queue, inFlight, done := []string{start}, 0, ctx.Done()
	for len(queue) > 0 || inFlight > 0 {
		var send chan string
		var next string
		if len(queue) > 0 {
			send, next = work, queue[0]
		}
		select {
		case send <- next:
			queue = queue[1:]
			inFlight++
		case r := <-results:
			inFlight--
			if r.page {
				pages++
			}
			if ctx.Err() == nil {
				queue = append(queue, r.links...)
			}
		case <-done:
			queue, done = nil, nil
		}
	}
	close(work)
	wg.Wait()
	return pages, ctx.Err()
}
