// Package ordertest checks that a scrape.Frontier hands URLs out in the
// order of scrape.Config.Order, the same way for every frontier.
package ordertest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
)

// Base is the host of the tree Crawl walks.
const Base = "http://order.test"

// Want is the order of the tree's paths a frontier of each order hands out:
// a binary tree three levels deep under /, each page linking to NAME0
// then NAME1.
var Want = map[scrape.Order][]string{
	scrape.OrderBreadth: strings.Fields("/ /0 /1 /00 /01 /10 /11 /000 /001 /010 /011 /100 /101 /110 /111"),
	scrape.OrderDepth:   strings.Fields("/ /0 /00 /000 /001 /01 /010 /011 /1 /10 /100 /101 /11 /110 /111"),
}

// Children are the links of the tree page at path, in page order.
func Children(path string) []string {
	name := strings.TrimPrefix(path, "/")
	if len(name) >= 3 {
		return nil
	}
	return []string{"/" + name + "0", "/" + name + "1"}
}

func admitAll(string, string) (bool, time.Duration) { return true, 0 }

// Crawl walks the tree through f one URL at a time, as a crawl with one
// fetch in flight does (pop, push the page's links, ack), and returns the
// paths in the order f handed them out.
func Crawl(t *testing.T, f scrape.Frontier) []string {
	t.Helper()
	ctx := context.Background()
	if _, err := f.Push(ctx, scrape.Request{URL: Base + "/"}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for len(got) <= 2*len(Want[scrape.OrderBreadth]) {
		l, _, err := f.Pop(ctx, admitAll)
		if errors.Is(err, scrape.ErrDrained) {
			return got
		}
		if err != nil {
			t.Fatalf("pop after %v: %v", got, err)
		}
		path := strings.TrimPrefix(l.URL, Base)
		got = append(got, path)
		var reqs []scrape.Request
		for _, c := range Children(path) {
			reqs = append(reqs, scrape.Request{URL: Base + c, Depth: l.Depth + 1, Referrer: l.URL})
		}
		if len(reqs) > 0 {
			if _, err := f.Push(ctx, reqs...); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Ack(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("no end after %v", got)
	return nil
}

// Check runs Crawl on a frontier of each order that open makes and
// compares the order with Want.
func Check(t *testing.T, open func(t *testing.T, o scrape.Order) scrape.Frontier) {
	for _, o := range []scrape.Order{scrape.OrderBreadth, scrape.OrderDepth} {
		t.Run(string(o), func(t *testing.T) {
			if got := Crawl(t, open(t, o)); !slices.Equal(got, Want[o]) {
				t.Errorf("order %s handed out\n%v\nwant\n%v", o, got, Want[o])
			}
		})
	}
}
