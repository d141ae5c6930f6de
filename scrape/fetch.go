package scrape

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// errBodyTooLarge fails the record of a page whose body is over
// Config.MaxBody bytes, as sent or (errDecodedTooLarge) after decoding.
var errBodyTooLarge = errors.New("scrape: body over Config.MaxBody")

// errSkipBody aborts a response whose content is not textual: its status and
// headers are recorded, its body is not downloaded.
var errSkipBody = errors.New("scrape: not textual, body skipped")

// fetched is the outcome of one HTTP fetch.
type fetched struct {
	Status        int
	FinalURL      string // canonical URL of the last response
	ContentType   string
	Body          []byte // nil unless textual and within Config.MaxBody; read only (decodeBody shares it)
	Bytes         int64  // body bytes received, decoded (0 for a body not downloaded)
	Latency       time.Duration
	Elapsed       time.Duration
	FetchedAt     time.Time
	RetryAfter    time.Duration
	HasRetryAfter bool
	Err           error // nil on any HTTP response that was read whole
	NetErr        bool  // Err is a network failure, worth a retry
	ETag          string
	LastModified  string
	prev          *PageMemo // the previous pass's memo of the URL (recrawl.go)
	// the WARC-Date, WARC-Record-ID and WARC-Payload-Digest of the URL's
	// response record (archive.go); "" when it was not archived
	archivedAt     time.Time
	archivedID     string
	archivedDigest string
}

// fetcher does HTTP with colly: one Collector, configured once, is the
// template of every request, which runs synchronously (Async(false)) on a
// pool worker in a clone of it that carries the request's context (colly
// takes the context of its HTTP requests from the Collector). colly's
// visited check, robots handling and HTML callbacks are off, as the crawler
// does those itself; redirects are checked against the frontier by
// redirect.
type fetcher struct {
	c       *colly.Collector // the template: shares its HTTP client, cookie jar and limits with every clone
	maxBody int64
	client  *http.Client  // for robots.txt, same transport
	jar     *cookieJar    // the crawl's cookies (cookies of the user would go in with jar.add)
	clones  sync.Pool     // of *colly.Collector: idle clones of c (collector)
	timeout time.Duration // Config.Timeout: a fetch's budget, redirects and body included (FetchWith)

	archiving bool // a WARC archive is written: a fetch carries a captureSink (archive.go)
}

// fetcherConfig is what newFetcher needs.
type fetcherConfig struct {
	userAgent   string
	timeout     time.Duration
	maxBody     int64
	concurrency int
	perHost     int
	redirect    func(req *http.Request, via []*http.Request) error
	requests    RequestOptions // with the scope and the start URLs it is judged by
	wire        *atomic.Int64  // counts body bytes as sent (Stats.BytesOnWire)
	scope       Scope
	starts      []string
	archive     *warc.Writer                      // nil: none (archive.go)
	previous    func(url string) (PageMemo, bool) // the previous pass's memo of a URL (recrawl.go); nil: none
	warn        func(string)
	limiter     RateLimiter // nil: none (ratelimit.go)
}

func newTransport(concurrency, perHost int) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		DisableCompression:    true, // decodingTransport decodes, within Config.MaxBody
		MaxIdleConns:          max(concurrency, perHost) * 2,
		MaxIdleConnsPerHost:   max(perHost, 1),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

func newFetcher(cfg fetcherConfig) *fetcher {
	c := colly.NewCollector(
		colly.Async(false),
		colly.AllowURLRevisit(),
		colly.IgnoreRobotsTxt(),
		colly.ParseHTTPErrorResponse(),
		colly.UserAgent(cfg.userAgent),
	)
	// One byte over the limit tells an over-size body from one that fits.
	c.MaxBodySize = int(min(cfg.maxBody+1, int64(^uint(0)>>1)))
	base := newTransport(cfg.concurrency, cfg.perHost)
	cfg.requests.tuneTransport(base)
	tr := newRequestTransport(&decodingTransport{base: archived(base, cfg.archive, cfg.maxBody, cfg.warn, cfg.previous), maxBody: cfg.maxBody, wire: cfg.wire}, cfg.requests, cfg.scope, cfg.starts)
	tr = limited(tr, cfg.limiter)
	c.WithTransport(tr)
	jar := newCookieJar(defaultJarLimits)
	c.SetCookieJar(jar) // instead of colly's net/http/cookiejar, which has no limits
	// No Client.Timeout: FetchWith bounds a fetch with its context, which
	// costs no goroutine (see requestTimeout).
	c.SetRequestTimeout(0)
	c.SetRedirectHandler(cfg.redirect)
	return &fetcher{
		c: c, maxBody: cfg.maxBody, jar: jar, timeout: cfg.timeout, archiving: cfg.archive != nil,
		client: &http.Client{Transport: tr, Timeout: cfg.timeout},
	}
}

// collector returns a collector for one request whose HTTP request lives
// only as long as ctx: a clone of the template (its HTTP client, cookie jar,
// redirect check and limits shared) with the fetcher's callbacks, new or
// one a finished request gave back (putCollector): a clone costs a dozen
// allocations, and only its Context differs from one request to the next.
func (f *fetcher) collector(ctx context.Context) *colly.Collector {
	c, _ := f.clones.Get().(*colly.Collector)
	if c == nil {
		c = f.c.Clone()
		c.OnResponseHeaders(f.onHeaders)
		c.OnResponse(f.onResponse)
	}
	c.Context = ctx
	return c
}

// putCollector gives back a collector whose request has returned (colly
// runs it synchronously), without its request's context.
func (f *fetcher) putCollector(c *colly.Collector) {
	c.Context = context.Background()
	f.clones.Put(c)
}

const stateKey = "poolscrape.fetch"

func stateOf(ctx *colly.Context) *fetched { return ctx.GetAny(stateKey).(*fetched) }

func (f *fetcher) onHeaders(r *colly.Response) {
	st := stateOf(r.Ctx)
	st.Latency = time.Since(st.FetchedAt)
	st.Status = r.StatusCode
	st.FinalURL = r.Request.URL.String()
	st.ContentType = r.Headers.Get("Content-Type")
	st.ETag, st.LastModified = r.Headers.Get("ETag"), r.Headers.Get("Last-Modified")
	if ra, ok := parseRetryAfter(r.Headers.Get("Retry-After"), time.Now()); ok {
		st.RetryAfter, st.HasRetryAfter = ra, true
	}
	if loc := r.Headers.Get("Location"); loc != "" && st.Status >= 300 && st.Status <= 399 {
		// A redirect that was not followed: final_url says where it pointed.
		if t, err := r.Request.URL.Parse(loc); err == nil {
			st.FinalURL = t.String()
		}
	}
	cl, _ := strconv.ParseInt(r.Headers.Get("Content-Length"), 10, 64)
	switch {
	case cl > f.maxBody:
		st.Err = fmt.Errorf("%w: Content-Length %d > %d bytes", errBodyTooLarge, cl, f.maxBody)
		r.Request.Abort()
	case !isTextual(st.ContentType) && (st.Status < 300 || st.Status > 399):
		st.Err = errSkipBody
		r.Request.Abort()
	}
}

func (f *fetcher) onResponse(r *colly.Response) {
	st := stateOf(r.Ctx)
	st.Bytes = int64(len(r.Body))
	if st.Bytes > f.maxBody {
		st.Err = fmt.Errorf("%w: more than %d bytes", errBodyTooLarge, f.maxBody)
		return
	}
	st.Body = r.Body
}

// Fetch GETs the canonical URL u and returns what came back. It blocks; it
// runs on a pool worker. When ctx ends, or the fetch has taken
// Config.Timeout (requestTimeout), the request is cancelled (its connection
// closed) and the outcome's Err says so.
func (f *fetcher) Fetch(ctx context.Context, u string) *fetched { return f.FetchWith(ctx, u, nil) }

// FetchWith is Fetch with extra request headers hdr (nil: none).
func (f *fetcher) FetchWith(ctx context.Context, u string, hdr http.Header) *fetched {
	if hdr == nil {
		// Asked for here, decodingTransport need not copy the request to ask.
		hdr = http.Header{"Accept-Encoding": {acceptEncoding}}
	}
	st := &fetched{FetchedAt: time.Now(), FinalURL: u}
	ctx, cancel := f.requestTimeout(ctx)
	defer cancel()
	cctx := colly.NewContext()
	cctx.Put(stateKey, st)
	var sink *captureSink
	if f.archiving {
		ctx, sink = withCaptureSink(ctx, u)
	}
	c := f.collector(ctx)
	err := c.Request(http.MethodGet, u, nil, cctx, hdr)
	f.putCollector(c)
	st.Elapsed = time.Since(st.FetchedAt)
	if sink != nil {
		st.archivedAt, st.archivedID, st.archivedDigest = sink.record()
	}
	switch {
	case errors.Is(st.Err, errSkipBody):
		st.Err = nil
	case st.Err != nil:
	case errors.Is(err, errDecodedTooLarge):
		st.Err, st.Bytes = err, f.maxBody+1
	case err != nil:
		var ue *url.Error
		st.NetErr = errors.As(err, &ue) && !errors.Is(err, context.Canceled)
		st.Err = redactErr(err, "") // net/http quotes a Location it cannot parse
	}
	if c, cerr := Canonicalize(st.FinalURL); cerr == nil {
		st.FinalURL = c
	} else {
		st.FinalURL = RedactURL(st.FinalURL) // a Location not followed
	}
	return st
}
