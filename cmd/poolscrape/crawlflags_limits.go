package main

import (
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/spf13/pflag"
)

// limitFlags are the crawl flags that shape the crawl as a whole: the
// order URLs are visited in.
type limitFlags struct {
	order string
}

func (l *limitFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&l.order, "order", "breadth", "visiting `ORDER`: breadth (by depth, lowest first) or depth (a page's first link and all under it before its second), e.g. --order depth; part of the crawl's identity with --state and --redis")
}

// apply checks the flags and puts them into cfg.
func (l *limitFlags) apply(cfg *scrape.Config) error {
	if l.order != string(scrape.OrderBreadth) && l.order != string(scrape.OrderDepth) {
		return usageErrorf("--order %q: want breadth or depth", l.order)
	}
	cfg.Order = scrape.Order(l.order)
	return nil
}
