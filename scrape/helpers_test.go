package scrape

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/testsite"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// collect is a record.Writer that keeps the records in memory.
type collect struct {
	mu   sync.Mutex
	recs []record.Record
}

func (c *collect) Write(r record.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recs = append(c.recs, r)
	return nil
}

// byPath returns the records by URL path (with ?query), failing the test on
// a URL recorded twice.
func (c *collect) byPath(t *testing.T) map[string]record.Record {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]record.Record{}
	for _, r := range c.recs {
		p := pathOf(t, r.URL)
		if _, dup := out[p]; dup {
			t.Errorf("%s recorded twice", r.URL)
		}
		out[p] = r
	}
	return out
}

func pathOf(t *testing.T, raw string) string {
	t.Helper()
	p, err := testsite.PathOf(raw)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// siteRules are the test site's rules as scrape Rules.
func siteRules(t *testing.T) []Rule {
	t.Helper()
	var rules []Rule
	for _, r := range testsite.Rules {
		rule, err := ParseRule(RuleKind(r.Kind), r.Spec())
		if err != nil {
			t.Fatalf("rule %s: %v", r.Flag(), err)
		}
		rules = append(rules, rule)
	}
	return rules
}

// newSite serves a test site on an httptest server closed at cleanup.
func newSite(t *testing.T, cfg testsite.Config) (*testsite.Site, *httptest.Server) {
	t.Helper()
	site, err := testsite.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Handler())
	t.Cleanup(srv.Close)
	return site, srv
}

// crawl runs a crawl of srv with cfg (Starts, Output and Rules filled in
// when empty) and returns its records and stats.
func crawl(t *testing.T, srv *httptest.Server, cfg Config) (*collect, Stats) {
	t.Helper()
	out := &collect{}
	if cfg.Starts == nil {
		cfg.Starts = []string{srv.URL + "/"}
	}
	cfg.Output = out
	if cfg.Rules == nil {
		cfg.Rules = siteRules(t)
	}
	cfg.Retries = max(cfg.Retries, 2)
	if cfg.RetryBackoff == 0 {
		cfg.RetryBackoff = 10 * time.Millisecond
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stats, err := c.Run(ctx)
	if err != nil {
		t.Fatalf("crawl: %v", err)
	}
	return out, stats
}
