package scrape

import (
	"context"
	"fmt"
	"sync"

	"github.com/poolscrape/poolscrape/executor"
)

// extractArgs is the argument of the extraction task that
// ExtractInProcess runs in worker processes: the rules travel with every page, so a
// worker needs no setup.
type extractArgs struct {
	Rules []Rule
	Page  pageData
}

// extractTask is registered at package level, so the worker processes (the
// same binary) know it.
var extractTask = executor.Register("scrape.extract", runExtract)

// extractors caches compiled rule sets in a worker process, by their text.
var extractors sync.Map // string → *extractor

func runExtract(_ context.Context, a extractArgs) (extracted, error) {
	key := fmt.Sprintf("%q", a.Rules)
	v, ok := extractors.Load(key)
	if !ok {
		ex, err := newExtractor(a.Rules)
		if err != nil {
			return extracted{}, err
		}
		v, _ = extractors.LoadOrStore(key, ex)
	}
	return v.(*extractor).Extract(a.Page), nil
}
