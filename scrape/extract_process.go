package scrape

import (
	"context"
	"fmt"
	"sync"

	"github.com/poolscrape/poolscrape/executor"
)

// ExtractArgs is the argument of the extraction task that
// ExtractInProcess runs in worker processes: the rules travel with every page, so a
// worker needs no setup.
type ExtractArgs struct {
	Rules []Rule
	Page  Page
}

// extractTask is registered at package level, so the worker processes (the
// same binary) know it.
var extractTask = executor.Register("scrape.extract", runExtract)

// extractors caches compiled rule sets in a worker process, by their text.
var extractors sync.Map // string → *Extractor

func runExtract(_ context.Context, a ExtractArgs) (Extracted, error) {
	key := fmt.Sprintf("%q", a.Rules)
	v, ok := extractors.Load(key)
	if !ok {
		ex, err := NewExtractor(a.Rules)
		if err != nil {
			return Extracted{}, err
		}
		v, _ = extractors.LoadOrStore(key, ex)
	}
	return v.(*Extractor).Extract(a.Page), nil
}
