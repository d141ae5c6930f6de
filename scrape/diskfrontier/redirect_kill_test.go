package diskfrontier

import (
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/frontiertest"
	"github.com/poolscrape/poolscrape/scrape"
)

// openRedirectCrawler is the frontier of frontiertest.RedirectCrawler, the
// child that TestRedirectClaimSurvivesSIGKILL kills: state is its folder.
func openRedirectCrawler(state string) (scrape.Frontier, error) {
	return Open(state, testID, Config{SyncInterval: time.Hour})
}

// TestRedirectClaimSurvivesSIGKILL: a crawl killed (SIGKILL) while its
// fetch of /start follows the redirect to /target, which it has marked
// seen, loses neither: Open requeues /start and unmarks /target, so the
// resumed crawl follows the redirect again and crawls /target's link
// (frontiertest.RedirectClaimOfAKilledCrawler).
func TestRedirectClaimSurvivesSIGKILL(t *testing.T) {
	dir := t.TempDir()
	frontiertest.RedirectClaimOfAKilledCrawler(t, dir, func(t *testing.T) scrape.Frontier {
		f := openT(t, dir, Config{})
		if f.Requeued() != 1 {
			t.Errorf("Requeued = %d, want 1 (/start)", f.Requeued())
		}
		return f
	})
}
