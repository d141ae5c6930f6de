package redisfrontier

import (
	"testing"

	"github.com/poolscrape/poolscrape/internal/childtest"
	"github.com/poolscrape/poolscrape/internal/frontiertest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	childtest.Serve(map[string]func(string) int{
		frontiertest.RedirectCrawlerRole: frontiertest.RedirectCrawler(openRedirectCrawler),
	})
	goleak.VerifyTestMain(m)
}
