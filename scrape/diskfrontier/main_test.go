package diskfrontier

import (
	"testing"

	"github.com/poolscrape/poolscrape/internal/childtest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	childtest.Serve(map[string]func(string) int{childRole: runChild, redirectCrawlerRole: runRedirectCrawler})
	goleak.VerifyTestMain(m)
}
