package scrape

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/poolscrape/poolscrape/scrape/record"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// ExtractIn says where a crawl runs its extraction rules on a page.
type ExtractIn string

// The extraction modes of Config.ExtractIn.
const (
	ExtractInThread  ExtractIn = "thread"  // in the finish stage, on one of its pool workers
	ExtractInProcess ExtractIn = "process" // as a registered task on an executor.ProcessPool
)

// Config is a crawl's settings. Starts and Output are required; the zero
// value of any other field means its default, given in brackets, or what
// its comment says zero means. These are not all the defaults of
// poolscrape crawl: Depth 0 follows no link and Retries 0 retries nothing,
// where the CLI defaults to 3 and 2.
type Config struct {
	Starts       []string      // start URLs, absolute http(s); canonicalized by New
	Depth        int           // link hops followed; 0: start URLs only; < 0: no limit
	Concurrency  int           // fetches in flight in all [16]
	PerHost      int           // fetches in flight per host [4]
	Delay        time.Duration // least gap between two request starts to one host [0]
	AutoThrottle bool          // adapt each host's delay to its latency, after Scrapy's AutoThrottle
	// MaxDelay caps the per-host delays a host asks for or causes: its
	// robots.txt Crawl-delay, a Retry-After, and AutoThrottle's delay (of
	// the gate New makes). A larger Delay wins over it. Each host whose
	// request is capped is reported once through Warn. 0: DefaultMaxDelay
	// (30s); there is no "no limit"; negative is an ErrConfig.
	MaxDelay time.Duration
	// Warn, if not nil, is told what the crawl works around without
	// failing (a host asking for a delay over MaxDelay), one message a
	// call, naming no password of a URL (RedactURL). It may be called from
	// several goroutines at once.
	Warn  func(msg string)
	Scope Scope // which links are followed [ScopeHost]
	// Order is the order of the frontier New makes when Frontier is nil
	// [OrderBreadth]; a Frontier of one's own has its own (the disk and
	// Redis frontiers take it from the resume.Identity they are opened
	// with, where resume.IdentityOf records it).
	Order Order
	// Allow and Deny filter the links in scope: one that a Deny pattern
	// matches is not followed; with Allow given, one must match.
	Allow, Deny []*regexp.Regexp
	Rules       []Rule // extraction rules; their matches go into record.Record.Matches
	// Retries is how many times a fetch that failed with a network error or
	// a 408, 429 or 5xx (500, 502-504) answer is tried again [0]. The
	// backoff starts at RetryBackoff and doubles (capped at 30s, with
	// jitter); a Retry-After answer is honoured up to 60s and MaxDelay.
	Retries      int
	RetryBackoff time.Duration // backoff before the first retry [500ms]
	Timeout      time.Duration // per request; also a robots.txt load's budget, and a sitemap's wait for its head and for each read of its body [15s]
	MaxBody      int64         // body bytes read per page, before and after decoding [10 MiB]
	MaxPages     int           // URLs fetched (and recorded) at most; 0: no limit
	// PageBudget, if not nil, is a page limit shared with other crawls (a
	// job-wide one), taken from for each URL fetched for the first time,
	// besides MaxPages; the URLs past it are dropped as past MaxPages.
	PageBudget PageBudget
	// MaxTime is how long Run schedules fetches: then it stops as when its
	// context ends (in-flight fetches get DrainTimeout to finish), with
	// Stats.StoppedBy StoppedByMaxTime. 0: no limit; negative is an
	// ErrConfig.
	MaxTime time.Duration
	// Rate is how many requests a second the crawl sends at most, in all:
	// page fetches, each redirect hop, robots.txt and sitemaps, with a
	// burst of RateBurst. 0: no limit; negative is an ErrConfig.
	Rate float64
	// RateLimiter, if not nil, paces the requests instead of Rate: one
	// shared with other crawls (a job-wide rate, say).
	RateLimiter  RateLimiter
	IgnoreRobots bool          // fetch without reading robots.txt
	UserAgent    string        // sent, and matched with robots.txt groups [DefaultUserAgent("dev")]; a User-Agent in Header replaces it
	ExtractIn    ExtractIn     // where extraction runs [ExtractInThread]
	Workers      int           // worker processes for ExtractInProcess [the CPUs]
	Output       record.Writer // takes every record
	Progress     Progress      // told how the crawl goes [none]
	DrainTimeout time.Duration // after a stop, how long in-flight fetches may finish [5s]
	Frontier     Frontier      // the URLs to fetch [a new MemoryFrontier]
	Gate         HostGate      // per-host politeness [in memory, from PerHost, Delay, AutoThrottle, MaxDelay]

	// RequestOptions are the headers, cookies, credentials, proxy, TLS
	// and sitemap settings (requestopts.go).
	RequestOptions

	// Archive, if not nil, gets every HTTP exchange of the crawl that got a
	// response (redirect hops, error answers, retries and robots.txt
	// fetches included) as a WARC request and response record, the body
	// as received (content codings kept) and cut at MaxBody. A failed
	// write is reported once through Warn, and by Archive's Close.
	Archive *warc.Writer

	// Pages, if not nil, keeps per URL its validators, body hash, links and
	// whether it failed, for the next pass, and the URLs dropped without a
	// record (robots.txt, MaxPages, PageBudget), for the next pass to queue
	// again; in a recrawl (Pages.Recrawling) it sends the previous pass's
	// validators as a conditional request, follows the previous pass's
	// links of a 304 Not Modified and sets Record.Change (recrawl.go).
	Pages PageStore

	retry *retryPolicy // from Retries and RetryBackoff, by withDefaults
}

// ErrConfig is returned by New for settings that cannot work.
var ErrConfig = errors.New("scrape: bad crawl config")

// ProjectURL is poolscrape's home page. DefaultUserAgent names it, so that a
// site's operator can find out who crawls them and why.
const ProjectURL = "https://github.com/poolscrape/poolscrape"

// DefaultUserAgent is the User-Agent for a poolscrape version:
// "poolscrape/VERSION (+ProjectURL)".
func DefaultUserAgent(version string) string {
	return "poolscrape/" + version + " (+" + ProjectURL + ")"
}

// Validate reports the error New would return for cfg, without making a
// crawler, files or requests, so that a caller can refuse a bad Config
// before it creates its Output and Archive: a nil Output is no error here
// (New still wants one). It calls no Warn. Errors wrap ErrConfig,
// ErrBadURL or ErrBadRule.
func (cfg Config) Validate() error {
	if cfg.Output == nil {
		cfg.Output = noRecords{}
	}
	cfg.Warn = nil
	_, _, _, err := cfg.settle()
	return err
}

// noRecords stands in for the Output Validate does not need.
type noRecords struct{}

func (noRecords) Write(record.Record) error { return nil }

// settle is New's check of cfg: cfg with its defaults, its rules compiled
// and its rate limiter (nil: none).
func (cfg Config) settle() (Config, *extractor, RateLimiter, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return cfg, nil, nil, err
	}
	ex, err := newExtractor(cfg.Rules)
	if err != nil {
		return cfg, nil, nil, err
	}
	limiter, err := newRateLimiter(cfg)
	if err != nil {
		return cfg, nil, nil, err
	}
	return cfg, ex, limiter, nil
}

// withDefaults fills the defaults in and checks what cannot be defaulted.
func (cfg Config) withDefaults() (Config, error) {
	if len(cfg.Starts) == 0 {
		return cfg, fmt.Errorf("%w: no start URL", ErrConfig)
	}
	if cfg.Output == nil {
		return cfg, fmt.Errorf("%w: no output", ErrConfig)
	}
	if err := cfg.requestDefaults(); err != nil {
		return cfg, err
	}
	starts := make([]string, 0, len(cfg.Starts))
	for _, s := range cfg.Starts {
		c, err := Canonicalize(s)
		if err != nil {
			return cfg, err
		}
		starts = append(starts, c)
	}
	cfg.Starts = starts
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&cfg.Concurrency, 16)
	def(&cfg.PerHost, 4)
	if cfg.Scope == "" {
		cfg.Scope = ScopeHost
	}
	if _, err := ParseScope(string(cfg.Scope)); err != nil {
		return cfg, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	order, err := ParseOrder(string(cfg.Order))
	if err != nil {
		return cfg, fmt.Errorf("%w: Order: %w", ErrConfig, err)
	}
	cfg.Order = order
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 10 << 20
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = 5 * time.Second
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent("dev")
	}
	switch cfg.ExtractIn {
	case "":
		cfg.ExtractIn = ExtractInThread
	case ExtractInThread, ExtractInProcess:
	default:
		return cfg, fmt.Errorf("%w: extraction mode %q (want thread or process)", ErrConfig, cfg.ExtractIn)
	}
	retry := defaultRetryPolicy(max(cfg.Retries, 0))
	if cfg.RetryBackoff > 0 {
		retry.Base = cfg.RetryBackoff
	}
	cfg.retry = &retry
	if cfg.MaxTime < 0 {
		return cfg, fmt.Errorf("%w: negative MaxTime %v", ErrConfig, cfg.MaxTime)
	}
	if cfg.MaxDelay < 0 {
		return cfg, fmt.Errorf("%w: negative MaxDelay %v", ErrConfig, cfg.MaxDelay)
	}
	if cfg.MaxDelay == 0 {
		cfg.MaxDelay = DefaultMaxDelay
	}
	return cfg, nil
}
