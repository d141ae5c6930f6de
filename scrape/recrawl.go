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

// PageMemo is what a crawl keeps of one fetched URL for the next pass
// (a recrawl): its validators, a hash of its body and the links it followed.
type PageMemo struct {
	Depth        int      // the URL's depth in its pass
	Referrer     string   // the page it was found on; empty for a start URL
	Status       int      // 0: no response
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
	m := PageMemo{Depth: l.Depth, Referrer: l.Referrer, Status: res.Status, ETag: res.ETag, LastModified: res.LastModified}
	if res.Body != nil {
		m.BodyHash = xxhash.Sum64(res.Body)
	}
	prev := res.prev
	if rec.Status == http.StatusNotModified && prev != nil && rec.Error == "" {
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

// changeOf compares a record with the previous pass's memo of its URL.
func changeOf(rec *record.Record, prev *PageMemo, hash uint64) string {
	switch {
	case prev == nil:
		return record.ChangeNew
	case rec.Error != "":
		return record.ChangeGone
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
