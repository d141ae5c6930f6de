package scrape

import (
	"regexp"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/scrape/record"
)

func TestChangeOf(t *testing.T) {
	prev := &PageMemo{BodyHash: 7}
	for _, c := range []struct {
		rec  record.Record
		prev *PageMemo
		hash uint64
		want string
	}{
		{record.Record{Status: 200}, nil, 7, record.ChangeNew},
		{record.Record{Status: 404, Error: "HTTP 404 Not Found"}, nil, 0, record.ChangeNew},
		{record.Record{Status: 404, Error: "HTTP 404 Not Found"}, prev, 0, record.ChangeGone},
		{record.Record{Error: "dial tcp: refused"}, prev, 0, record.ChangeGone},
		{record.Record{Status: 304}, prev, 0, record.ChangeUnchanged},
		{record.Record{Status: 200}, prev, 7, record.ChangeUnchanged},
		{record.Record{Status: 200}, prev, 8, record.ChangeChanged},
		{record.Record{Status: 200}, &PageMemo{}, 0, record.ChangeChanged}, // no body either time: not known to be alike
	} {
		if got := changeOf(&c.rec, c.prev, c.hash); got != c.want {
			t.Errorf("changeOf(%+v, %+v, %d) = %q, want %q", c.rec, c.prev, c.hash, got, c.want)
		}
	}
}

func TestSummaryHasTheRecrawlCounts(t *testing.T) {
	var b strings.Builder
	if err := (Stats{Changes: map[string]int64{"new": 1, "changed": 2, "unchanged": 3, "gone": 4}}).WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "  recrawl:               1 new, 2 changed, 3 unchanged, 4 gone\n") {
		t.Errorf("summary:\n%s", b.String())
	}
	b.Reset()
	if err := (Stats{Changes: map[string]int64{"gone": 1}, PassChanges: map[string]int64{"unchanged": 5, "gone": 2}}).WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`whole crawl .*\n(.*\n)*  recrawl, whole pass:   0 new, 0 changed, 5 unchanged, 2 gone\n`).MatchString(b.String()) {
		t.Errorf("summary without the whole pass's counts in the whole crawl's part:\n%s", b.String())
	}
	b.Reset()
	if err := (Stats{}).WriteSummary(&b); err != nil || strings.Contains(b.String(), "recrawl") {
		t.Errorf("summary outside a recrawl mentions it (%v):\n%s", err, b.String())
	}
}
