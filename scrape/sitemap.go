package scrape

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// sitemapPushBatch is how many sitemap URLs go to the frontier at once.
const sitemapPushBatch = 1000

// sitemapState is what a crawl with Config.Sitemaps knows of sitemaps.
type sitemapState struct {
	mu      sync.Mutex
	hosts   map[string]bool // hosts whose sitemaps were taken on
	files   map[string]bool // sitemap files asked for, crawl-wide
	loading atomic.Int64    // hosts whose sitemaps are being read
}

// sitemapFile is a sitemap to read: its URL, how deep in indexes it was
// found, and whether a 404 of it is worth a warning.
type sitemapFile struct {
	url    string
	depth  int
	listed bool // named by robots.txt or an index, not guessed
}

// startSitemaps takes on host's sitemaps the first time the scheduler
// admits one of its URLs (u), once its robots.txt is in: they are read
// as one pool task, which holds the crawl open (see sitemapsLoading).
func (c *Crawler) startSitemaps(host, u string) {
	if !c.cfg.Sitemaps || c.cfg.Depth == 0 {
		return
	}
	s := &c.sitemaps
	s.mu.Lock()
	if s.hosts == nil {
		s.hosts, s.files = map[string]bool{}, map[string]bool{}
	}
	claimed := s.hosts[host]
	s.hosts[host] = true
	s.mu.Unlock()
	if claimed {
		return
	}
	scheme := "http"
	if pu, err := url.Parse(u); err == nil {
		scheme = pu.Scheme
	}
	var files []sitemapFile
	if c.robots != nil {
		for _, sm := range c.robots.sitemapsOf(host) {
			files = append(files, sitemapFile{url: sm, listed: true})
		}
	}
	files = append(files, sitemapFile{url: scheme + "://" + host + "/sitemap.xml"})
	c.slots.takeLoad()
	s.loading.Add(1)
	f := executor.Submit(c.pool, func(context.Context) (struct{}, error) {
		c.readSitemaps(c.hardCtx, files)
		return struct{}{}, nil
	})
	f.AddDoneCallback(func(*executor.Future[struct{}]) {
		s.loading.Add(-1)
		c.slots.loadDone()
	})
}

// sitemapsLoading reports whether sitemaps are being read: the frontier
// may be drained, but the crawl is not over.
func (c *Crawler) sitemapsLoading() bool { return c.sitemaps.loading.Load() > 0 }

// readSitemaps reads the files, and the sitemaps their indexes list, at
// most maxSitemapFiles in all, until ctx ends or the crawl stops.
func (c *Crawler) readSitemaps(ctx context.Context, queue []sitemapFile) {
	for read := 0; len(queue) > 0 && read < maxSitemapFiles; {
		if ctx.Err() != nil || c.stopping.Load() || c.failure() != nil {
			return
		}
		f := queue[0]
		queue = queue[1:]
		canon, ok := c.sitemapToRead(ctx, f)
		if !ok {
			continue
		}
		read++
		queue = append(queue, c.readSitemap(ctx, f, canon)...)
	}
}

// sitemapToRead canonicalizes f's URL and reports whether it is to be read:
// in scope (Allow and Deny judge pages, not sitemaps), allowed by
// robots.txt, not read before.
func (c *Crawler) sitemapToRead(ctx context.Context, f sitemapFile) (string, bool) {
	canon, err := Canonicalize(f.url)
	if err != nil {
		c.warnSitemap(fmt.Sprintf("sitemap %q: %v", RedactURL(f.url), err))
		return "", false
	}
	pu, err := url.Parse(canon)
	if err != nil || !c.filter.inScope(pu) {
		return "", false
	}
	s := &c.sitemaps
	s.mu.Lock()
	seen := s.files[canon]
	s.files[canon] = true
	s.mu.Unlock()
	if seen {
		return "", false
	}
	if c.robots != nil && !c.robots.Allowed(ctx, pu) {
		return "", false
	}
	return canon, true
}

// readSitemap fetches one sitemap (through the host gate), pushes its
// in-scope page URLs at depth 1, and returns the sitemaps it lists (if
// not too deep).
func (c *Crawler) readSitemap(ctx context.Context, f sitemapFile, canon string) []sitemapFile {
	host := HostOf(canon)
	if err := acquireGate(ctx, c.gate, host); err != nil {
		c.warnSitemap(fmt.Sprintf("sitemap %s: %v", canon, err))
		return nil
	}
	o := Outcome{Fetched: true}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = c.gate.Release(rctx, host, o)
	}()
	var next []sitemapFile
	var batch []Request
	push := func() {
		if len(batch) == 0 {
			return
		}
		if _, err := c.frontier.Push(ctx, batch...); err != nil {
			c.fail(fmt.Errorf("scrape: frontier push of sitemap %s: %w", canon, err))
		}
		batch = batch[:0]
		c.slots.notify()
	}
	err := c.getSitemap(ctx, canon, &o, func(e sitemapEntry) {
		if e.index {
			if f.depth < maxSitemapDepth {
				next = append(next, sitemapFile{url: e.loc, depth: f.depth + 1, listed: true})
			}
			return
		}
		if u, err := Canonicalize(e.loc); err == nil && c.filter.Check(u) == linkFollowed {
			batch = append(batch, Request{URL: u, Depth: 1, Referrer: canon})
			if len(batch) >= sitemapPushBatch {
				push()
			}
		}
	})
	push()
	if err != nil && (f.listed || o.Status != http.StatusNotFound) {
		c.warnSitemap(fmt.Sprintf("sitemap %s: %v", canon, err))
	}
	return next
}

// maxSitemapReadTime bounds the whole read of one sitemap, its URLs'
// pushes to the frontier included, unless Config.Timeout is longer: a
// server trickling bytes just within Config.Timeout cannot hold the read
// for long.
const maxSitemapReadTime = 10 * time.Minute

// getSitemap GETs the sitemap u and streams its entries to emit; o gets
// the status and the latency. Config.Timeout bounds the network waits:
// for the response head, and for each read of the body; the time emit
// takes (the frontier's pushes) does not count. The whole read is bounded
// by the longer of maxSitemapReadTime and Config.Timeout.
func (c *Crawler) getSitemap(ctx context.Context, u string, o *Outcome, emit func(sitemapEntry)) error {
	ctx, cancelRead := context.WithTimeout(ctx, max(maxSitemapReadTime, c.cfg.Timeout))
	defer cancelRead()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	wait := time.AfterFunc(c.cfg.Timeout, func() {
		cancel(fmt.Errorf("no answer for %s (Config.Timeout)", c.cfg.Timeout))
	})
	defer wait.Stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	start := time.Now()
	resp, err := c.sitemapClient().Do(req)
	o.Latency = time.Since(start)
	wait.Stop()
	if err != nil {
		return sitemapErr(ctx, err)
	}
	defer resp.Body.Close()
	o.Status = resp.StatusCode
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	body := &waitBoundReader{r: resp.Body, wait: wait, d: c.cfg.Timeout}
	return sitemapErr(ctx, parseSitemap(body, maxSitemapURLs, maxSitemapBytes, emit))
}

// sitemapErr is err, or, if the read's ctx ended, why it ended (a wait
// past Config.Timeout, the read's bound, the crawl's stop).
func sitemapErr(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", context.Cause(ctx), err)
	}
	return err
}

// waitBoundReader reads r with wait, a timer that ends the read, running
// for d during each Read only.
type waitBoundReader struct {
	r    io.Reader
	wait *time.Timer
	d    time.Duration
}

func (b *waitBoundReader) Read(p []byte) (int, error) {
	b.wait.Reset(b.d)
	n, err := b.r.Read(p)
	b.wait.Stop()
	return n, err
}

// sitemapClient is the fetcher's client, following at most
// robotsMaxRedirects redirects, and only within the scope.
func (c *Crawler) sitemapClient() *http.Client {
	hc := *c.fetcher.client
	hc.Timeout = 0 // the request's context bounds it
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > robotsMaxRedirects || !c.filter.inScope(req.URL) {
			return fmt.Errorf("redirect to %s not followed", req.URL.Redacted())
		}
		return nil
	}
	return &hc
}

func (c *Crawler) warnSitemap(msg string) {
	if c.cfg.Warn != nil {
		c.cfg.Warn(msg)
	}
}

// sitemapsOf returns the Sitemap lines of host's robots.txt, once it is in.
func (r *robotsCache) sitemapsOf(host string) []string {
	if res, ok := r.loaded(host); ok {
		return res.Sitemaps
	}
	return nil
}

// acquireGate waits (within ctx) for one of host's slots at gate.
func acquireGate(ctx context.Context, gate HostGate, host string) error {
	for {
		ok, wait, err := gate.TryAcquire(ctx, host, time.Now())
		if err != nil {
			return fmt.Errorf("host gate: %w", err)
		}
		if ok {
			return nil
		}
		if wait <= 0 {
			wait = robotsGatePoll
		}
		if !sleepCtx(ctx, wait) {
			return fmt.Errorf("no request slot for %s at the host gate: %w", host, ctx.Err())
		}
	}
}
