package resume

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
)

func identityOf(t *testing.T, cfg scrape.Config) Identity {
	t.Helper()
	id, err := IdentityOf(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestIdentityRecordsSitemaps: Config.Sitemaps adds URLs to the crawl, so a
// state made with it and one made without refuse each other, naming it.
func TestIdentityRecordsSitemaps(t *testing.T) {
	base := scrape.Config{Starts: []string{"http://a.test/"}, Depth: 2}
	with := base
	with.Sitemaps = true
	off, on := identityOf(t, base), identityOf(t, with)
	for _, c := range []struct{ stored, want Identity }{{off, on}, {on, off}} {
		err := Check("state folder d", c.stored, c.want)
		if !errors.Is(err, ErrIdentityMismatch) || !strings.Contains(err.Error(), "sitemaps is ") {
			t.Errorf("Check(stored sitemaps %s, want %s) = %v, want a mismatch naming sitemaps", c.stored["sitemaps"], c.want["sitemaps"], err)
		}
	}
	if err := Check("state folder d", on, identityOf(t, with)); err != nil {
		t.Errorf("Check of two crawls with sitemaps: %v", err)
	}
}

// TestIdentityOfAStateFromBeforeSitemaps: a stored identity without the
// sitemaps entry (made before it was recorded, with Sitemaps either way)
// still resumes, with Sitemaps or without, and the default job name of
// every crawl is the one it had then.
func TestIdentityOfAStateFromBeforeSitemaps(t *testing.T) {
	old := Identity{
		"start URLs": `["http://a.test/"]`, "scope": "host", "allow": "null", "deny": "null",
		"depth": "2", "ignore-robots": "false",
	}
	b, _ := json.Marshal(old)
	h := sha256.Sum256(b)
	oldJob := "crawl-" + hex.EncodeToString(h[:6]) // the name the old identity had
	for _, sitemaps := range []bool{false, true} {
		cfg := scrape.Config{Starts: []string{"http://a.test/"}, Depth: 2}
		cfg.Sitemaps = sitemaps
		id := identityOf(t, cfg)
		if err := Check("state folder d", old, id); err != nil {
			t.Errorf("an old state resumed with Sitemaps %v: %v", sitemaps, err)
		}
		if got := id.Job(); got != oldJob {
			t.Errorf("job name with Sitemaps %v is %s, want the old %s", sitemaps, got, oldJob)
		}
	}
	other := identityOf(t, scrape.Config{Starts: []string{"http://a.test/"}, Depth: 3})
	if err := Check("state folder d", old, other); err == nil {
		t.Error("an old state accepted another depth")
	}
}
