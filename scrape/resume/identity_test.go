package resume

import (
	"errors"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/scrape"
)

// TestIdentityIsOfTheCanonicalConfig: start URLs that canonicalize alike,
// in any order and repeated, make one crawl.
func TestIdentityIsOfTheCanonicalConfig(t *testing.T) {
	a, err := IdentityOf(scrape.Config{Starts: []string{"https://Example.com", "http://b.test/x"}, Depth: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := IdentityOf(scrape.Config{Starts: []string{"http://b.test/x", "https://example.com/", "HTTPS://example.com:443/"}, Depth: 2, Scope: scrape.ScopeHost})
	if err != nil {
		t.Fatal(err)
	}
	if d := a.Diff(b); len(d) != 0 {
		t.Fatalf("identities of one canonical crawl differ: %v", d)
	}
	if a.Job() != b.Job() {
		t.Errorf("job names %s and %s for one crawl", a.Job(), b.Job())
	}
	c, _ := IdentityOf(scrape.Config{Starts: []string{"https://example.com/other"}, Depth: 2})
	if len(a.Diff(c)) == 0 || a.Job() == c.Job() {
		t.Errorf("another start URL gave the same identity %v", c)
	}
}

// TestIdentityKeepsItsStoredForm: the names and values are those state
// folders and jobs already hold, so they still resume.
func TestIdentityKeepsItsStoredForm(t *testing.T) {
	id, err := IdentityOf(scrape.Config{
		Starts: []string{"http://a.test/"}, Depth: 3, Scope: scrape.ScopeDomain,
		Allow: []*regexp.Regexp{regexp.MustCompile(`/docs/`)}, IgnoreRobots: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Identity{
		"start URLs": `["http://a.test/"]`, "scope": "domain", "allow": `["/docs/"]`, "deny": "null",
		"depth": "3", "ignore-robots": "true", "sitemaps": "false",
	}
	if !maps.Equal(id, want) {
		t.Fatalf("identity %v, want %v", id, want)
	}
	if got := want.Job(); !regexp.MustCompile(`^crawl-[0-9a-f]{12}$`).MatchString(got) {
		t.Errorf("job name %q, want crawl- and 12 hex digits", got)
	}
}

func TestIdentityOfBadStart(t *testing.T) {
	if _, err := IdentityOf(scrape.Config{Starts: []string{"ftp://a.test/"}}); err == nil || !strings.HasPrefix(err.Error(), "resume: ") {
		t.Fatalf("IdentityOf with an ftp start URL: err = %v, want a resume: error", err)
	}
}

func TestCheckNamesTheDifferences(t *testing.T) {
	stored := Identity{"scope": "host", "depth": "3"}
	if err := Check("state folder d", stored, Identity{"depth": "3", "scope": "host"}); err != nil {
		t.Fatalf("Check of equal identities: %v", err)
	}
	err := Check("state folder d", stored, Identity{"scope": "domain", "depth": "3", "allow": "x"})
	var ie *IdentityError
	if !errors.Is(err, ErrIdentityMismatch) || !errors.As(err, &ie) {
		t.Fatalf("Check = %v, want an *IdentityError", err)
	}
	for _, want := range []string{"state folder d", `scope is "host" there, "domain" here`, `allow is unset there, "x" here`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestEncodeDecode(t *testing.T) {
	id := Identity{"a": "1", "b": `["x"]`}
	b, err := id.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(b)
	if err != nil || !maps.Equal(id, back) {
		t.Fatalf("Decode(Encode) = %v, %v; want %v", back, err, id)
	}
	if _, err := Decode([]byte("{")); err == nil {
		t.Error("Decode of broken JSON succeeded")
	}
}

func TestStateOf(t *testing.T) {
	for _, c := range []struct {
		counts scrape.FrontierCounts
		want   State
	}{
		{scrape.FrontierCounts{}, New},
		{scrape.FrontierCounts{Seen: 3, Queued: 1}, Unfinished},
		{scrape.FrontierCounts{Seen: 3, Leased: 1, Done: 2}, Unfinished},
		{scrape.FrontierCounts{Seen: 3, Done: 3}, Finished},
	} {
		if got := StateOf(c.counts); got != c.want {
			t.Errorf("StateOf(%+v) = %v, want %v", c.counts, got, c.want)
		}
	}
	if New.Resumed() || !Unfinished.Resumed() || !Finished.Resumed() {
		t.Error("Resumed: want false only for New")
	}
}
