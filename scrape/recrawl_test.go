package scrape

import (
	"regexp"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/scrape/record"
)

func TestChangeOf(t *testing.T) {
	prev := &PageMemo{Status: 200, BodyHash: 7}
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
		{record.Record{Status: 200}, &PageMemo{Status: 200}, 0, record.ChangeChanged}, // no body either time: not known to be alike
		// failed last time: still failing is no news, answering is
		{record.Record{Status: 404, Error: "HTTP 404 Not Found"}, &PageMemo{Status: 404, Failed: true}, 0, record.ChangeUnchanged},
		{record.Record{Error: "dial tcp: refused"}, &PageMemo{Status: 200, Failed: true}, 0, record.ChangeUnchanged}, // a cut redirect, say
		{record.Record{Status: 200}, &PageMemo{Status: 404, Failed: true, BodyHash: 7}, 7, record.ChangeNew},
		{record.Record{Status: 304}, &PageMemo{Status: 500, Failed: true}, 0, record.ChangeNew},
		// memos stored before Failed was kept: their status or change tells
		{record.Record{Status: 410, Error: "HTTP 410 Gone"}, &PageMemo{Status: 404}, 0, record.ChangeUnchanged},
		{record.Record{Error: "dial tcp: refused"}, &PageMemo{}, 0, record.ChangeUnchanged},
		{record.Record{Status: 200}, &PageMemo{Status: 200, Change: record.ChangeGone}, 0, record.ChangeNew},
		// skipped without a record: never fetched, or carrying its last fetch
		{record.Record{Status: 200}, &PageMemo{Skipped: true}, 7, record.ChangeNew},
		{record.Record{Status: 404, Error: "HTTP 404 Not Found"}, &PageMemo{Skipped: true}, 0, record.ChangeNew},
		{record.Record{Status: 304}, &PageMemo{Skipped: true, Status: 200, BodyHash: 7}, 0, record.ChangeUnchanged},
		{record.Record{Status: 404, Error: "HTTP 404 Not Found"}, &PageMemo{Skipped: true, Status: 200}, 0, record.ChangeGone},
		{record.Record{Error: "dial tcp: refused"}, &PageMemo{Skipped: true, Failed: true}, 0, record.ChangeUnchanged},
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
