package scrape

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/poolscrape/poolscrape/scrape/record"
)

// MaxRememberedLinks caps the links a PageStore keeps per page (the first
// ones, in page order): a recrawl follows at most that many links of a page
// that answers 304 Not Modified.
const MaxRememberedLinks = 10000

// PageMemo is what a crawl keeps of one URL for the next pass (a recrawl):
// its validators, a hash of its body and the links it followed, whether
// its fetch failed, and whether the pass skipped it without a record.
type PageMemo struct {
	Depth        int      // the URL's depth in its pass
	Referrer     string   // the page it was found on; empty for a start URL
	Status       int      // 0: no response (or, Skipped, never fetched)
	ETag         string   // the response's ETag, sent back as If-None-Match
	LastModified string   // its Last-Modified, sent back as If-Modified-Since
	BodyHash     uint64   // xxhash64 of the decoded body; 0: no body kept
	Links        []string // the links followed, at most MaxRememberedLinks
	Change       string   // the record's Change in this pass ("" outside a recrawl)
	// Captured is when the body BodyHash hashes was fetched: the WARC-Date
	// of the response record that archived it (Config.Archive), else the
	// fetch's start; a pass that finds the page unchanged keeps the
	// earlier pass's. The zero time when unknown (a memo stored before
	// Captured was kept).
	Captured time.Time `json:",omitzero"`
	// RecordID is the WARC-Record-ID of that response record; "" when the
	// body was not archived. A revisit record of the URL names both.
	RecordID string `json:",omitempty"`
	// PayloadDigest is that response record's WARC-Payload-Digest (of the
	// body as received, content coding kept); "" when the body was not
	// archived or the memo was stored before it was kept. The next pass
	// archives the URL as an identical-payload-digest revisit only when
	// its payload has this digest, else in a response record of its own.
	PayloadDigest string `json:",omitempty"`
	// Failed: the record had an error (a 4xx or 5xx, a network error, a
	// cut redirect...). A memo stored before Failed was kept reads false:
	// its Status and Change tell then (a status of 0 or from 400, or
	// ChangeGone, is a failure).
	Failed bool `json:",omitempty"`
	// Skipped: the pass wrote no record of the URL (robots.txt disallowed
	// it, MaxPages or the PageBudget was reached), so that the next pass
	// queues it again. Its Status, validators, BodyHash, Links and Failed
	// are then those of its last fetch, in an earlier pass, if it had one
	// (Status 0 and Failed false: never fetched).
	Skipped bool `json:",omitempty"`
}

// The outcomes of the last fetch of a URL, by its memo (lastFetch).
const (
	fetchNone   = iota // not in the previous pass, or never fetched
	fetchFailed        // its record had an error
	fetchOK            // its record had none
)

// lastFetch tells how the last fetch of the memo's URL went (nil: not in
// the previous pass).
func lastFetch(m *PageMemo) int {
	switch {
	case m == nil, m.Skipped && m.Status == 0 && !m.Failed:
		return fetchNone
	case m.Failed, m.Status == 0, m.Status >= 400, m.Change == record.ChangeGone:
		return fetchFailed
	}
	return fetchOK
}

// PageStore keeps a PageMemo per URL for the next pass and hands out those
// of the previous pass, if any (Config.Pages; diskfrontier.Frontier is one).
// Its methods are called from pool workers, concurrently.
type PageStore interface {
	// Previous returns the previous pass's memo of url; ok is false when
	// there was no previous pass or the URL was not in it.
	Previous(ctx context.Context, url string) (m PageMemo, ok bool, err error)
	// Remember keeps this pass's memo of url, before its lease is acked.
	Remember(ctx context.Context, url string, m PageMemo) error
	// Recrawling reports whether there is a previous pass: records then
	// get a Change.
	Recrawling() bool
}

// PassCounter is a PageStore that counts this pass's memos by Change over
// every run of the pass, one per URL however often it was remembered (a
// pass stopped, even by a crash, and resumed): Run puts the counts in
// Stats.PassChanges. diskfrontier.Frontier is one.
type PassCounter interface {
	PassChanges(ctx context.Context) (map[string]int64, error)
}

// conditional returns the validators to send for u (If-None-Match,
// If-Modified-Since) and the previous pass's memo of u, if any.
func (c *Crawler) conditional(u string) (http.Header, *PageMemo) {
	if c.cfg.Pages == nil || !c.cfg.Pages.Recrawling() {
		return nil, nil
	}
	m, ok, err := c.cfg.Pages.Previous(c.hardCtx, u)
	if err != nil {
		c.fail(fmt.Errorf("scrape: previous pass of %s: %w", u, err))
		return nil, nil
	}
	if !ok {
		return nil, nil
	}
	if lastFetch(&m) != fetchOK {
		return nil, &m // the validators of an error page, if any, are not the page's
	}
	h := http.Header{}
	if m.ETag != "" {
		h.Set("If-None-Match", m.ETag)
	}
	if m.LastModified != "" {
		h.Set("If-Modified-Since", m.LastModified)
	}
	return h, &m
}

// previousMemo is the previous pass's memo of u, for the archive; ok is
// false outside a recrawl and for a URL the previous pass did not have.
func (c *Crawler) previousMemo(u string) (PageMemo, bool) {
	if c.cfg.Pages == nil || !c.cfg.Pages.Recrawling() {
		return PageMemo{}, false
	}
	m, ok, err := c.cfg.Pages.Previous(c.hardCtx, u)
	return m, ok && err == nil
}

// recrawled gives rec its Change, keeps this pass's memo of the URL in
// Config.Pages and returns the links to follow: those of the previous pass
// for a 304 Not Modified, else follow.
func (c *Crawler) recrawled(l Lease, res *fetched, rec *record.Record, follow []string) []string {
	if c.cfg.Pages == nil {
		return follow
	}
	m := PageMemo{Depth: l.Depth, Referrer: l.Referrer, Status: res.Status, ETag: res.ETag, LastModified: res.LastModified, Failed: rec.Error != ""}
	if res.Body != nil {
		m.BodyHash = xxhash.Sum64(res.Body)
	}
	prev := res.prev
	if rec.Status == http.StatusNotModified && lastFetch(prev) == fetchOK && rec.Error == "" {
		m.BodyHash, m.Links = prev.BodyHash, prev.Links
		m.ETag, m.LastModified = or(m.ETag, prev.ETag), or(m.LastModified, prev.LastModified)
		follow = prev.Links
		rec.Links = follow
	} else if rec.Error == "" {
		m.Links = follow[:min(len(follow), MaxRememberedLinks)]
	}
	m.Captured, m.RecordID, m.PayloadDigest = captured(res, rec, prev, m.BodyHash)
	if c.cfg.Pages.Recrawling() {
		rec.Change = changeOf(rec, prev, m.BodyHash)
		m.Change = rec.Change
	}
	if err := c.cfg.Pages.Remember(c.settleCtx, l.URL, m); err != nil {
		c.fail(fmt.Errorf("scrape: remember %s for the next pass: %w", l.URL, err))
	}
	return follow
}

// passChanges is the whole pass's records by Change, when Config.Pages is
// a PassCounter in a recrawl (nil otherwise, or when it fails to tell:
// the stats are still worth having).
func (c *Crawler) passChanges() map[string]int64 {
	pc, ok := c.cfg.Pages.(PassCounter)
	if !ok || !c.cfg.Pages.Recrawling() {
		return nil
	}
	m, err := pc.PassChanges(context.Background())
	if err != nil || len(m) == 0 {
		return nil
	}
	return m
}

// captured returns the capture a memo names (PageMemo.Captured, RecordID
// and PayloadDigest): the response record archived by this fetch; else the
// previous pass's, when the page is unchanged (a 304, or a body that hashes
// as last time: its revisit record refers to that capture); else the
// fetch's start, archived nowhere.
func captured(res *fetched, rec *record.Record, prev *PageMemo, hash uint64) (time.Time, string, string) {
	switch {
	case res.archivedID != "":
		return res.archivedAt, res.archivedID, res.archivedDigest
	case prev != nil && rec.Error == "" && (rec.Status == http.StatusNotModified || hash != 0 && hash == prev.BodyHash):
		return prev.Captured, prev.RecordID, prev.PayloadDigest
	}
	return res.FetchedAt, "", ""
}

// rememberSkipped keeps, for the next pass, a URL this pass drops
// without a record (robots.txt disallows it, MaxPages or the PageBudget
// is reached), so that the next pass queues it again (and asks robots.txt
// again) instead of losing it: its memo is Skipped, with the data of its
// last fetch, carried over from the previous pass's memo, if any, for the
// next pass to compare with.
func (c *Crawler) rememberSkipped(l Lease) {
	if c.cfg.Pages == nil {
		return
	}
	var m PageMemo
	if c.cfg.Pages.Recrawling() {
		prev, ok, err := c.cfg.Pages.Previous(c.settleCtx, l.URL)
		if err != nil {
			c.fail(fmt.Errorf("scrape: previous pass of %s: %w", l.URL, err))
			return
		}
		if ok {
			m = prev
			m.Failed = lastFetch(&prev) == fetchFailed
		}
	}
	m.Depth, m.Referrer, m.Change, m.Skipped = l.Depth, l.Referrer, "", true
	if err := c.cfg.Pages.Remember(c.settleCtx, l.URL, m); err != nil {
		c.fail(fmt.Errorf("scrape: remember %s for the next pass: %w", l.URL, err))
	}
}

// changeOf compares a record with the previous pass's memo of its URL: a
// URL the previous pass did not have, never fetched, or whose last fetch
// failed and which answers now, is new; one that fails is gone on the
// first pass it fails in, unchanged on the next ones.
func changeOf(rec *record.Record, prev *PageMemo, hash uint64) string {
	was := lastFetch(prev)
	switch {
	case was == fetchNone:
		return record.ChangeNew
	case rec.Error != "" && was == fetchFailed:
		return record.ChangeUnchanged // still failing: gone was said when it began
	case rec.Error != "":
		return record.ChangeGone
	case was == fetchFailed:
		return record.ChangeNew // back: it was not there the last time
	case rec.Status == http.StatusNotModified:
		return record.ChangeUnchanged
	case hash != 0 && hash == prev.BodyHash:
		return record.ChangeUnchanged
	}
	return record.ChangeChanged
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
