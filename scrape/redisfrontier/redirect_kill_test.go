package redisfrontier

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/frontiertest"
	"github.com/poolscrape/poolscrape/internal/redistest"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/redis/go-redis/v9"
)

// killedLease is the lease timeout of the process that
// TestRedirectClaimOfADeadProcessIsUndone kills: its lease expires that
// long after its death (and not before, renewed every third of it).
const killedLease = time.Second

// openRedirectCrawler is the frontier of frontiertest.RedirectCrawler, the
// child that TestRedirectClaimOfADeadProcessIsUndone kills: state is the
// job, on the test Redis the parent was given (redistest.EnvURL).
func openRedirectCrawler(state string) (scrape.Frontier, error) {
	opts, err := redis.ParseURL(os.Getenv(redistest.EnvURL))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", redistest.EnvURL, err)
	}
	return Open(context.Background(), redis.NewClient(opts), state, testID, Config{LeaseTimeout: killedLease})
}

// TestRedirectClaimOfADeadProcessIsUndone: a crawling process killed
// (SIGKILL) while its fetch of /start follows the redirect to /target,
// which it has marked seen, loses neither: when its lease expires and
// another process takes /start, the claim is undone in the same script, so
// that process follows the redirect again and crawls /target's link
// (frontiertest.RedirectClaimOfAKilledCrawler).
func TestRedirectClaimOfADeadProcessIsUndone(t *testing.T) {
	job := redistest.Job(t)
	frontiertest.RedirectClaimOfAKilledCrawler(t, job, func(t *testing.T) scrape.Frontier {
		return joinT(t, job, Config{Poll: 5 * time.Millisecond})
	})
}
