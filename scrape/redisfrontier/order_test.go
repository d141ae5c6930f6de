package redisfrontier

import (
	"context"
	"maps"
	"testing"

	"github.com/poolscrape/poolscrape/internal/ordertest"
	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/resume"
)

// TestOrder: a job made with scrape.OrderBreadth hands the tree out level
// by level, one made with scrape.OrderDepth the first link's subtree first.
func TestOrder(t *testing.T) {
	ordertest.Check(t, func(t *testing.T, o scrape.Order) scrape.Frontier {
		id, err := resume.IdentityOf(scrape.Config{Starts: []string{"http://a.test/"}, Order: o})
		if err != nil {
			t.Fatal(err)
		}
		full := maps.Clone(testID)
		if v, ok := id["order"]; ok {
			full["order"] = v
		}
		f, err := Open(context.Background(), newClient(t, redistest.URL(t)), redistest.Job(t), full, Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close(context.Background()) })
		return f
	})
}
