package testsite

import (
	"errors"
	"fmt"
	"time"
)

// Defaults for the zero fields of Config: a site small enough that a test
// crawls all of it in well under a second.
const (
	DefaultPages   = 50
	DefaultFanout  = 3
	DefaultBigSize = 256 << 10
	// Authors is the number of author pages, /author/0 to /author/Authors-1.
	Authors = 5
	// maxChain is the longest redirect chain /chain/K the site serves.
	maxChain = 10
)

// ErrConfig is wrapped by the errors New returns for a bad Config.
var ErrConfig = errors.New("testsite: invalid config")

// Config shapes a Site. The zero Config is a valid small site.
type Config struct {
	// Pages is the number of /page/N pages [DefaultPages]. Pages are made on
	// the fly, so 200,000 or more cost no memory up front.
	Pages int
	// Fanout is the number of child pages each page links [DefaultFanout].
	Fanout int
	// Latency delays every answer (robots.txt included), as a slow server
	// would; it ends early if the client goes away.
	Latency time.Duration
	// CrawlDelay, when positive, is announced in robots.txt as Crawl-delay
	// (in seconds, with fractions).
	CrawlDelay time.Duration
	// BigSize is the exact body size of /big in bytes [DefaultBigSize].
	BigSize int
	// Plain leaves out every one-off page (robots-disallowed, redirects,
	// errors, flaky, charsets, binaries, trap, big, off-site links): just the
	// home page, the pages and the author pages. For benchmarks.
	Plain bool
}

// withDefaults checks c and fills in its zero fields.
func (c Config) withDefaults() (Config, error) {
	switch {
	case c.Pages < 0:
		return c, fmt.Errorf("%w: Pages %d is negative", ErrConfig, c.Pages)
	case c.Fanout < 0:
		return c, fmt.Errorf("%w: Fanout %d is negative", ErrConfig, c.Fanout)
	case c.Latency < 0:
		return c, fmt.Errorf("%w: Latency %v is negative", ErrConfig, c.Latency)
	case c.CrawlDelay < 0:
		return c, fmt.Errorf("%w: CrawlDelay %v is negative", ErrConfig, c.CrawlDelay)
	case c.BigSize < 0:
		return c, fmt.Errorf("%w: BigSize %d is negative", ErrConfig, c.BigSize)
	}
	if c.Pages == 0 {
		c.Pages = DefaultPages
	}
	if c.Fanout == 0 {
		c.Fanout = DefaultFanout
	}
	if c.BigSize == 0 {
		c.BigSize = DefaultBigSize
	}
	return c, nil
}
