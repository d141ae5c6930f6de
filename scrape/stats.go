package scrape

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// Stats is the crawl's summary, like Scrapy's stats dump: Crawler.Run returns
// it; WriteSummary prints it for a person, WriteJSON as one JSON object.
type Stats struct {
	Pages         int64            `json:"pages"`           // records written
	PagesByStatus map[string]int64 `json:"pages_by_status"` // HTTP status → records; "error" for no response
	Errors        int64            `json:"errors"`          // records with an error
	// ErrorsByKind splits Errors: "4xx" and "5xx" (a final HTTP error
	// answer), "network" (no response: DNS, connect, TLS, timeout) and
	// "other" (an answer below 400 whose record failed: body over
	// Config.MaxBody, a cut redirect chain, an extraction error).
	ErrorsByKind map[string]int64 `json:"errors_by_kind"`
	Retries      int64            `json:"retries"` // fetches tried again
	Bytes        int64            `json:"bytes"`   // the records' body bytes, decoded (after Content-Encoding gzip or deflate)
	// BytesOnWire is the body bytes received as sent (compressed, if the
	// server compressed them), robots.txt and sitemaps included; headers
	// are not counted.
	BytesOnWire int64 `json:"bytes_on_wire"`
	// CrawlDone is the URLs settled (with a record) by the whole crawl:
	// this run's and, for a resumed or shared crawl, the earlier runs' and
	// the other processes'. It is Pages for a crawl in one run.
	CrawlDone       int64   `json:"crawl_done"`
	ElapsedSeconds  float64 `json:"elapsed_seconds"`
	PagesPerSecond  float64 `json:"pages_per_second"`
	Discovered      int64   `json:"discovered"`         // distinct URLs seen by the whole crawl (earlier runs of a resumed or shared one included)
	RobotsBlocked   int64   `json:"robots_blocked"`     // URLs not fetched: robots.txt (this run)
	OffScope        int64   `json:"off_scope"`          // distinct URLs not followed: Config.Scope, Allow, Deny (this run; see maxDistinctSkips)
	BinarySkipped   int64   `json:"binary_skipped"`     // distinct URLs not followed: binary extension (this run)
	Duplicates      int64   `json:"duplicates_skipped"` // links and redirects to URLs already seen, by the whole crawl (as Discovered)
	DepthSkipped    int64   `json:"depth_skipped"`      // links not followed: past Config.Depth
	MaxPagesSkipped int64   `json:"max_pages_skipped"`  // queued URLs dropped: Config.MaxPages reached
	MaxDepth        int     `json:"max_depth"`          // deepest record
	StartURLs       int     `json:"start_urls"`
	StartFailed     int     `json:"start_failed"` // start URLs whose record failed (error or status >= 400) or that robots.txt blocked
	Interrupted     bool    `json:"interrupted"`  // stopped by a signal (or its context)
	Released        int64   `json:"released"`     // fetches a stop cut short, given back unrecorded to a Frontier that is a Releaser (on disk, in Redis)

	// StoppedBy is StoppedByMaxTime when Config.MaxTime ended the crawl,
	// "" otherwise.
	StoppedBy string `json:"stopped_by,omitempty"`

	// Changes counts, in a recrawl, the records by Record.Change (new,
	// changed, unchanged, gone); empty outside a recrawl.
	Changes map[string]int64 `json:"changes,omitempty"`
	// PassChanges counts the same for the whole pass, earlier runs of a
	// pass resumed after a stop or a crash included, when Config.Pages is
	// a PassCounter; empty outside a recrawl.
	PassChanges map[string]int64 `json:"pass_changes,omitempty"`

	// RobotsUnreachable counts the hosts whose robots.txt was unreachable
	// (5xx, 429, network error, after retries): all their URLs are
	// disallowed.
	RobotsUnreachable int64 `json:"robots_unreachable"`
	// StartRobotsUnreachable says, for the first few start URLs blocked
	// because their host's robots.txt was unreachable, the URL and why.
	StartRobotsUnreachable []string `json:"start_robots_unreachable,omitempty"`
}

// counters collects Stats while the crawl runs. Safe for concurrent use.
type counters struct {
	pages, errors, retries, bytes                 atomic.Int64
	errors4xx, errors5xx, errorsNetwork           atomic.Int64
	wireBytes                                     atomic.Int64
	skipped                                       distinctSkips // URLs counted in offScope and binary
	robots, offScope, binary, dupes, depthSkipped atomic.Int64
	maxPagesSkipped                               atomic.Int64
	startFailed                                   atomic.Int64
	released                                      atomic.Int64
	maxDepth                                      atomic.Int64

	robotsUnreachable atomic.Int64

	mu          sync.Mutex
	byStatus    map[string]int64
	changes     map[string]int64 // Stats.Changes
	startRobots []string         // Stats.StartRobotsUnreachable
}

func (c *counters) record(r *record.Record) {
	c.pages.Add(1)
	c.bytes.Add(r.Bytes)
	if r.Error != "" {
		c.errors.Add(1)
		switch {
		case r.Status >= 500:
			c.errors5xx.Add(1)
		case r.Status >= 400:
			c.errors4xx.Add(1)
		case r.Status == 0:
			c.errorsNetwork.Add(1)
		}
	}
	for {
		d := c.maxDepth.Load()
		if int64(r.Depth) <= d || c.maxDepth.CompareAndSwap(d, int64(r.Depth)) {
			break
		}
	}
	key := "error"
	if r.Status != 0 {
		key = strconv.Itoa(r.Status)
	}
	c.mu.Lock()
	if c.byStatus == nil {
		c.byStatus = map[string]int64{}
	}
	c.byStatus[key]++
	if r.Change != "" {
		if c.changes == nil {
			c.changes = map[string]int64{}
		}
		c.changes[r.Change]++
	}
	c.mu.Unlock()
}

// progressCounts is what a KindProgress is told.
func (c *counters) progressCounts(f FrontierCounts) ProgressCounts {
	return ProgressCounts{
		Done: c.pages.Load(), CrawlDone: f.Done, Discovered: f.Seen, Errors: c.errors.Load(),
		Errors4xx: c.errors4xx.Load(), Errors5xx: c.errors5xx.Load(),
	}
}

func (c *counters) snapshot(elapsed time.Duration, discovered int64) Stats {
	c.mu.Lock()
	by := maps.Clone(c.byStatus)
	startRobots := slices.Clone(c.startRobots)
	changes := maps.Clone(c.changes)
	c.mu.Unlock()
	if by == nil {
		by = map[string]int64{}
	}
	s := Stats{
		Pages: c.pages.Load(), PagesByStatus: by, Errors: c.errors.Load(),
		Retries: c.retries.Load(), Bytes: c.bytes.Load(), BytesOnWire: c.wireBytes.Load(),
		ElapsedSeconds: elapsed.Seconds(), Discovered: discovered,
		RobotsBlocked: c.robots.Load(), OffScope: c.offScope.Load(), BinarySkipped: c.binary.Load(),
		Duplicates: c.dupes.Load(), DepthSkipped: c.depthSkipped.Load(),
		MaxPagesSkipped: c.maxPagesSkipped.Load(), MaxDepth: int(c.maxDepth.Load()),
		StartFailed: int(c.startFailed.Load()), Released: c.released.Load(),
		RobotsUnreachable: c.robotsUnreachable.Load(), StartRobotsUnreachable: startRobots,
		Changes: changes,
	}
	s.ErrorsByKind = map[string]int64{
		"4xx": c.errors4xx.Load(), "5xx": c.errors5xx.Load(), "network": c.errorsNetwork.Load(),
	}
	s.ErrorsByKind["other"] = s.Errors - s.ErrorsByKind["4xx"] - s.ErrorsByKind["5xx"] - s.ErrorsByKind["network"]
	if elapsed > 0 {
		s.PagesPerSecond = float64(s.Pages) / elapsed.Seconds()
	}
	return s
}

// WriteJSON writes the stats as one indented JSON object.
func (s Stats) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("scrape: encode stats: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteSummary writes the stats for people, one "name: value" a line: this
// run's counts, then the whole crawl's (which differ for a resumed or a
// shared crawl).
func (s Stats) WriteSummary(w io.Writer) error {
	var b []byte
	line := func(k string, v any) { b = fmt.Appendf(b, "  %-22s %v\n", k+":", v) }
	b = append(b, "crawl stats, this run\n"...)
	if s.Interrupted {
		line("interrupted", true)
	}
	if s.StoppedBy != "" {
		line("stopped by", s.StoppedBy)
	}
	if s.Released > 0 {
		line("released for resume", s.Released)
	}
	line("pages", s.Pages)
	for _, k := range slices.Sorted(maps.Keys(s.PagesByStatus)) {
		line("  status "+k, s.PagesByStatus[k])
	}
	if len(s.Changes) > 0 {
		line("recrawl", changesLine(s.Changes))
	}
	line("errors", s.Errors)
	for _, k := range []string{"4xx", "5xx", "network", "other"} {
		if n := s.ErrorsByKind[k]; n > 0 {
			line("  "+k, n)
		}
	}
	line("retries", s.Retries)
	line("bytes (decoded)", s.Bytes)
	line("bytes on the wire", s.BytesOnWire)
	line("elapsed", time.Duration(s.ElapsedSeconds*float64(time.Second)).Round(time.Millisecond))
	line("pages/s", fmt.Sprintf("%.1f", s.PagesPerSecond))
	line("robots blocked", fmt.Sprintf("%d URLs", s.RobotsBlocked))
	if s.RobotsUnreachable > 0 {
		line("robots unreachable", fmt.Sprintf("%d hosts, all their URLs disallowed", s.RobotsUnreachable))
	}
	line("off scope", fmt.Sprintf("%d URLs", s.OffScope))
	line("binary skipped", fmt.Sprintf("%d URLs", s.BinarySkipped))
	line("past depth", s.DepthSkipped)
	line("past the page limit", s.MaxPagesSkipped)
	line("max depth", s.MaxDepth)
	line("start URLs failed", fmt.Sprintf("%d of %d", s.StartFailed, s.StartURLs))
	b = append(b, "whole crawl (earlier runs of a resumed crawl, other processes of a shared one included)\n"...)
	line("URLs done", fmt.Sprintf("%d of %d discovered", s.CrawlDone, s.Discovered))
	line("duplicates skipped", s.Duplicates)
	if len(s.PassChanges) > 0 {
		line("recrawl, whole pass", changesLine(s.PassChanges))
	}
	_, err := w.Write(b)
	return err
}

// changesLine is the summary's count of records by Change.
func changesLine(c map[string]int64) string {
	return fmt.Sprintf("%d new, %d changed, %d unchanged, %d gone", c["new"], c["changed"], c["unchanged"], c["gone"])
}
