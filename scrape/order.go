package scrape

import "fmt"

// Order is the order a crawl visits the URLs it finds in (Config.Order).
type Order string

// The orders of Config.Order.
const (
	// OrderBreadth visits URLs by depth, lowest first, in the order they
	// were found within a depth (a first-in first-out queue per depth).
	// Depths are exact: a URL's record says its least link distance from a
	// start URL.
	OrderBreadth Order = "breadth"
	// OrderDepth visits the newest URLs first (a last-in first-out stack):
	// the first link of a page and everything under it before the page's
	// second link, in page order. A URL's depth is that of the path it was
	// first found by, which need not be the shortest; Depth still bounds
	// it.
	OrderDepth Order = "depth"
)

// ParseOrder checks an order's name ("" is OrderBreadth).
func ParseOrder(s string) (Order, error) {
	switch Order(s) {
	case "", OrderBreadth:
		return OrderBreadth, nil
	case OrderDepth:
		return OrderDepth, nil
	}
	return "", fmt.Errorf("unknown order %q (want %s or %s)", s, OrderBreadth, OrderDepth)
}

// NewMemoryFrontierOrder returns an empty in-memory frontier handing URLs
// out in order o (OrderBreadth if o is "").
func NewMemoryFrontierOrder(o Order) *MemoryFrontier {
	f := NewMemoryFrontier()
	f.lifo = o == OrderDepth
	return f
}
