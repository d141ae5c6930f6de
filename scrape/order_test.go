package scrape_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/ordertest"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// TestMemoryFrontierOrder: OrderBreadth hands the tree out level by level,
// OrderDepth the first link's subtree first, in page order.
func TestMemoryFrontierOrder(t *testing.T) {
	ordertest.Check(t, func(_ *testing.T, o scrape.Order) scrape.Frontier {
		return scrape.NewMemoryFrontierOrder(o)
	})
}

type discard struct{}

func (discard) Write(record.Record) error { return nil }

// TestConfigOrderUnknown: an order New does not know is an ErrConfig that
// names the field.
func TestConfigOrderUnknown(t *testing.T) {
	_, err := scrape.New(scrape.Config{Starts: []string{"http://a.test/"}, Output: discard{}, Order: "random"})
	if !errors.Is(err, scrape.ErrConfig) || !strings.Contains(err.Error(), `Order: unknown order "random"`) {
		t.Errorf("New with Order random: %v, want an ErrConfig naming Order", err)
	}
}
