package scrape

import (
	"testing"
	"time"
)

// TestConfigRetries: Config.Retries and Config.RetryBackoff are the one way
// to set a crawl's retries; the rest of the policy keeps its defaults.
func TestConfigRetries(t *testing.T) {
	base := Config{Starts: []string{"http://127.0.0.1:1/"}, Output: &collect{}}
	for _, c := range []struct {
		retries     int
		backoff     time.Duration
		wantMax     int
		wantBackoff time.Duration
	}{
		{0, 0, 0, 500 * time.Millisecond},
		{3, 7 * time.Millisecond, 3, 7 * time.Millisecond},
		{-1, -time.Second, 0, 500 * time.Millisecond},
	} {
		cfg := base
		cfg.Retries, cfg.RetryBackoff = c.retries, c.backoff
		got, err := cfg.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		want := defaultRetryPolicy(c.wantMax)
		want.Base = c.wantBackoff
		if *got.retry != want {
			t.Errorf("Retries %d, RetryBackoff %v: policy %+v, want %+v", c.retries, c.backoff, *got.retry, want)
		}
	}
}

// TestDefaultUserAgent: the default User-Agent names the version and
// ProjectURL, the one place the project's address is written.
func TestDefaultUserAgent(t *testing.T) {
	if got, want := DefaultUserAgent("1.2.3"), "poolscrape/1.2.3 (+https://github.com/poolscrape/poolscrape)"; got != want {
		t.Errorf("DefaultUserAgent = %q, want %q", got, want)
	}
}
