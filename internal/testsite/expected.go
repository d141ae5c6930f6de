package testsite

import (
	"errors"
	"fmt"
)

// ErrUnbounded is returned by Expected for an unlimited depth on a site
// with the link trap, which has no end.
var ErrUnbounded = errors.New("testsite: the link trap makes an unlimited crawl endless")

// Expected returns the paths a crawl from "/" that obeys robots.txt,
// skips binary links and stays on the host records, each with its depth
// (link hops from "/"), within depth hops; depth < 0 means no limit, which
// only a Config.Plain site allows (else ErrUnbounded). See the package doc
// for how redirects count.
func (s *Site) Expected(depth int) (map[string]int, error) { return s.expected(depth, true) }

// ExpectedIgnoringRobots is Expected for a crawl that ignores robots.txt:
// the /private/ pages are in it too.
func (s *Site) ExpectedIgnoringRobots(depth int) (map[string]int, error) {
	return s.expected(depth, false)
}

// expected walks the link graph breadth first.
func (s *Site) expected(depth int, obeyRobots bool) (map[string]int, error) {
	if depth < 0 && !s.cfg.Plain {
		return nil, fmt.Errorf("expected depth %d: %w", depth, ErrUnbounded)
	}
	seen := map[string]int{"/": 0}
	queue := []string{"/"}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		d := seen[path]
		if depth >= 0 && d >= depth {
			continue
		}
		in, _ := s.Info(path)
		if !in.ok() || !in.isHTML() {
			continue
		}
		for _, l := range in.Links {
			if _, dup := seen[l]; dup || IsBinary(l) || (obeyRobots && Disallowed(l)) {
				continue
			}
			seen[l] = d + 1
			queue = append(queue, l)
		}
	}
	return seen, nil
}
