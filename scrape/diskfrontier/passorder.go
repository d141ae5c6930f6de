package diskfrontier

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/poolscrape/poolscrape/scrape"
	bolt "go.etcd.io/bbolt"
)

// A new pass (StartPass) queues the previous pass's URLs in the order the
// state's scrape.Order visits them. The previous pass is a tree: each URL
// hangs under its referrer, at its place among the referrer's links. Its
// roots are the URLs no remembered page links to as their referrer (the
// start URLs; URLs found by a sitemap or past scrape.MaxRememberedLinks),
// in the order the previous pass handed them out (the memo's queue key).
// Breadth-first, the tree is walked level by level; depth-first, each
// subtree before the next sibling, which is the order the pass's stack
// would have handed them out in, had every page linked to what it did last
// time.

// passNode is one URL of the previous pass.
type passNode struct {
	req      scrape.Request
	key      []byte  // its queue key in the previous pass
	children []int32 // in page order
	child    bool    // placed under its referrer
}

// passOrder returns the requests of the previous pass (bucket previous) in
// the order a pass of the given order (lifo: scrape.OrderDepth) visits
// them. It reads the bucket twice, so as not to hold every page's links.
func passOrder(prev *bolt.Bucket, lifo bool) ([]scrape.Request, error) {
	var nodes []passNode
	index := map[string]int32{}
	err := prev.ForEach(func(_, v []byte) error {
		var m memo
		if err := json.Unmarshal(v, &m); err != nil {
			return fmt.Errorf("decoding a memo: %w", err)
		}
		index[m.URL] = int32(len(nodes))
		nodes = append(nodes, passNode{req: scrape.Request{URL: m.URL, Depth: m.Depth, Referrer: m.Referrer}, key: m.Key})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = prev.ForEach(func(_, v []byte) error {
		var m memo
		if err := json.Unmarshal(v, &m); err != nil {
			return fmt.Errorf("decoding a memo: %w", err)
		}
		p := index[m.URL]
		for _, l := range m.Links {
			c, ok := index[l]
			if !ok || nodes[c].child || nodes[c].req.Referrer != m.URL || nodes[c].req.Depth != m.Depth+1 {
				continue
			}
			nodes[c].child = true
			nodes[p].children = append(nodes[p].children, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return walkPass(nodes, lifo), nil
}

// walkPass walks the forest of nodes from its roots: level by level, or
// (lifo) depth-first.
func walkPass(nodes []passNode, lifo bool) []scrape.Request {
	var roots []int32
	for i := range nodes {
		if !nodes[i].child {
			roots = append(roots, int32(i))
		}
	}
	slices.SortFunc(roots, func(a, b int32) int {
		x, y := &nodes[a], &nodes[b]
		return cmp.Or(cmp.Compare(x.req.Depth, y.req.Depth), bytes.Compare(x.key, y.key), cmp.Compare(x.req.URL, y.req.URL))
	})
	out := make([]scrape.Request, 0, len(nodes))
	if !lifo {
		queue := roots
		for i := 0; i < len(queue); i++ {
			n := &nodes[queue[i]]
			out = append(out, n.req)
			queue = append(queue, n.children...)
		}
		return out
	}
	stack := slices.Clone(roots)
	slices.Reverse(stack)
	for len(stack) > 0 {
		n := &nodes[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		out = append(out, n.req)
		for i := len(n.children) - 1; i >= 0; i-- {
			stack = append(stack, n.children[i])
		}
	}
	return out
}
