package scrape

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/poolscrape/poolscrape/scrape/record"
)

// Extraction modes of Config.ExtractIn.
const (
	ExtractInThread  = "thread"  // in the fetch's done-callback, on the pool worker
	ExtractInProcess = "process" // as a registered task on an executor.ProcessPool
)

// Config is a crawl's settings; the zero values of optional fields mean the
// defaults of `poolscrape crawl`.
type Config struct {
	Starts       []string // start URLs, absolute http(s); canonicalized by New
	Depth        int      // link hops followed; 0: start URLs only; < 0: no limit
	Concurrency  int      // fetches in flight in all [16]
	PerHost      int      // fetches in flight per host [4]
	Delay        time.Duration
	AutoThrottle bool
	// MaxDelay caps the per-host delays a host asks for or causes: its
	// robots.txt Crawl-delay, a Retry-After, and AutoThrottle's delay (of
	// the gate New makes). A larger Delay wins over it. Each host whose
	// request is capped is reported once through Warn. 0: DefaultMaxDelay
	// (30s); there is no "no limit"; negative is an ErrConfig.
	MaxDelay time.Duration
	// Warn, if not nil, is told what the crawl works around without
	// failing (a host asking for a delay over MaxDelay), one message a
	// call. It may be called from several goroutines at once.
	Warn         func(msg string)
	Scope        Scope // [host]
	Allow, Deny  []*regexp.Regexp
	Rules        []Rule
	Retries      int          // retries after the first attempt
	Retry        *RetryPolicy // nil: DefaultRetryPolicy(Retries)
	Timeout      time.Duration
	MaxBody      int64 // [10 MiB]
	MaxPages     int   // 0: no limit
	IgnoreRobots bool
	UserAgent    string
	ExtractIn    string // ExtractInThread [default] or ExtractInProcess
	Workers      int    // worker processes for ExtractInProcess (0: CPUs)
	Output       record.Writer
	Progress     Progress      // nil: none
	DrainTimeout time.Duration // after a stop, how long in-flight fetches may finish [5s]
	Frontier     Frontier      // nil: a new MemoryFrontier
	Gate         HostGate      // nil: a MemoryGate from PerHost, Delay, AutoThrottle

	// RequestOptions are the headers, cookies, credentials, proxy, TLS
	// and sitemap settings (requestopts.go).
	RequestOptions
}

// ErrConfig is returned by New for settings that cannot work.
var ErrConfig = errors.New("scrape: bad crawl config")

// DefaultUserAgent is the User-Agent for a poolscrape version.
func DefaultUserAgent(version string) string {
	return "poolscrape/" + version + " (+https://github.com/poolscrape/poolscrape)"
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
	if cfg.Retry == nil {
		p := DefaultRetryPolicy(max(cfg.Retries, 0))
		cfg.Retry = &p
	}
	if cfg.MaxDelay < 0 {
		return cfg, fmt.Errorf("%w: negative MaxDelay %v", ErrConfig, cfg.MaxDelay)
	}
	if cfg.MaxDelay == 0 {
		cfg.MaxDelay = DefaultMaxDelay
	}
	return cfg, nil
}
