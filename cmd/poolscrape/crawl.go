package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/poolscrape/poolscrape/executor"
	"github.com/poolscrape/poolscrape/output"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/spf13/cobra"
)

func init() { subcommands = append(subcommands, newCrawlCmd) }

// crawlFlags are the crawl command's flags, as given.
type crawlFlags struct {
	depth, concurrency, perHost, retries, maxPages, workers int
	delay, timeout                                          time.Duration
	maxDelay                                                time.Duration
	autoThrottle, ignoreRobots, quiet                       bool
	scope, output, format, maxBody, userAgent               string
	extractIn, progress, stats                              string
	allow, deny, regex, css                                 []string
	scale                                                   scaleFlags // --state, --redis, --job: crawlstate.go

	req  requestFlags // -H, --cookie, --auth, --proxy, ...: crawlflags_request.go
	warc string       // --warc: crawlwarc.go
	lim  limitFlags   // --order, ...: crawlflags_limits.go
}

func newCrawlCmd() *cobra.Command {
	var f crawlFlags
	cmd := &cobra.Command{
		Use:   "crawl [flags] URL...",
		Short: "Crawl web sites concurrently and extract with regexes and CSS selectors",
		Long: `crawl fetches the start URLs and the links found on them, breadth first (or
depth first with --order depth), up to --depth link hops, and writes one
record per fetched URL (failures included): url, final_url, status, depth,
referrer, title, content_type, bytes, elapsed_ms, fetched_at, matches (rule
name -> distinct matches in page order), links (in-scope links found) and error. A URL argument "-" reads
more start URLs from stdin, one a line (blank lines and # comments skipped).

Fetches run on a goroutine pool (--concurrency), at most --per-host at once
per host and --delay apart (or the robots.txt Crawl-delay, or AutoThrottle's
delay with --auto-throttle). robots.txt is obeyed unless --ignore-robots.
Requests answered 408, 429, 500, 502, 503 or 504, or failing on the network,
are retried up to --retries times with exponential backoff and jitter;
Retry-After is honoured. No URL is fetched twice; a redirect to a URL already
seen is not followed (the 3xx is the record, its target the final_url). A
start URL's redirect to another host is followed, and that host joins the
--scope (http://example.com/ to https://www.example.com/).
Links with binary extensions (.pdf, .png, .zip, ...) are not fetched;
robots-blocked and off-scope links are counted in the stats, not recorded.

--regex NAME=PATTERN runs on the page source decoded to UTF-8 and keeps the
first capture group if the pattern has one, else the whole match.
--css NAME=SELECTOR keeps each element's text, NAME=SELECTOR@attr the
attribute. Both are repeatable.

Output: -o FILE (- for stdout), format from its extension (.jsonl, .csv,
.json) or --format. On Ctrl-C or SIGTERM the crawl stops scheduling, lets
in-flight fetches finish for a few seconds, writes their records, prints the
stats and exits 130; a second signal exits at once. --max-time stops the
same way but exits 0. Exit 2 on bad flags, 1 when every start URL failed.`,
		Example: `  # crawl a site three links deep, JSON lines on stdout
  poolscrape crawl https://example.com/

  # emails and prices by regex, headings by CSS, into CSV
  poolscrape crawl -d 2 --regex 'email=[\w.]+@[\w.]+' --regex 'price=\$(\d+\.\d\d)' \
      --css 'heading=h1' --css 'author=a.author@href' -o out.csv https://example.com/

  # start URLs from a file, politely, whole registrable domain, stats as JSON
  poolscrape crawl --per-host 2 --delay 500ms --scope domain --stats stats.json -o out.jsonl - < urls.txt

  # extraction in 4 worker processes, at most 1000 pages
  poolscrape crawl --extract-in process --workers 4 --max-pages 1000 -o out.json https://example.com/

  # resumable: stop with Ctrl-C (or a crash), run the same command again to resume
  poolscrape crawl --state ./shop.state -o shop.jsonl https://shop.example/

  # depth first: a page's first link and everything under it before its second
  poolscrape crawl --order depth -d 5 -o out.jsonl https://example.com/

  # at most 2 requests a second in all, robots.txt and sitemaps included
  poolscrape crawl --rate 2 -o out.jsonl https://example.com/

  # an hour a night: stops on time (exit 0), the next run goes on
  poolscrape crawl --max-time 1h --state ./shop.state -o shop.jsonl https://shop.example/

  # one crawl shared by every process started with the same Redis and job
  poolscrape crawl --redis redis://127.0.0.1:6379/0 --job shop -o shop-1.jsonl https://shop.example/
  poolscrape crawl status --redis redis://127.0.0.1:6379/0 --job shop

  # limits for the whole job, however many processes join it
  poolscrape crawl --redis redis://127.0.0.1:6379/0 --job shop --max-pages 10000 --rate 5 --max-time 2h \
      --auto-throttle -o shop-2.jsonl https://shop.example/`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runCrawl(cmd, args, &f) },
	}
	fl := cmd.Flags()
	fl.IntVarP(&f.depth, "depth", "d", 3, "`N` link hops from the start URLs (0: start URLs only, -1: no limit)")
	fl.IntVarP(&f.concurrency, "concurrency", "c", 16, "`N` fetches in flight in total")
	fl.IntVar(&f.perHost, "per-host", 4, "`N` fetches in flight per host")
	fl.DurationVar(&f.delay, "delay", 0, "least gap `D` between two requests to one host (e.g. 500ms)")
	fl.DurationVar(&f.maxDelay, "max-delay", scrape.DefaultMaxDelay, "cap `D` on the delay a host may impose (robots.txt Crawl-delay, Retry-After, AutoThrottle); --delay wins over it")
	fl.BoolVar(&f.autoThrottle, "auto-throttle", false, "adapt each host's delay to its latency and to 429/503 answers")
	fl.StringVar(&f.scope, "scope", "host", "`SCOPE` of the links followed: host, domain (registrable domain) or any")
	fl.StringArrayVar(&f.allow, "allow", nil, "follow only URLs matching the regex `RE` (repeatable)")
	fl.StringArrayVar(&f.deny, "deny", nil, "never follow URLs matching the regex `RE` (repeatable; wins over --allow)")
	fl.StringArrayVar(&f.regex, "regex", nil, "extraction rule `NAME=PATTERN` (repeatable)")
	fl.StringArrayVar(&f.css, "css", nil, "extraction rule `NAME=SELECTOR[@attr]`: element text, or the attribute (repeatable)")
	fl.StringVarP(&f.output, "output", "o", "-", "output `FILE` (- for stdout)")
	fl.StringVar(&f.format, "format", "", "output `FORMAT`: jsonl, csv or json (default: from the file extension)")
	fl.IntVar(&f.retries, "retries", 2, "`N` retries of a failed request")
	fl.DurationVar(&f.timeout, "timeout", 15*time.Second, "timeout `D` per request")
	fl.StringVar(&f.maxBody, "max-body", "10MiB", "largest body read, a `SIZE` (e.g. 512KiB, 10MiB, 1MB, bytes); larger is an error record")
	fl.IntVar(&f.maxPages, "max-pages", 0, "stop scheduling after `N` pages (0: no limit; with --redis, N for the whole job)")
	fl.BoolVar(&f.ignoreRobots, "ignore-robots", false, "do not fetch or obey robots.txt")
	fl.StringVar(&f.userAgent, "user-agent", scrape.DefaultUserAgent(version), "User-Agent header `UA` sent on every request, and the agent robots.txt is obeyed for; -H 'User-Agent: X' sets both too and must then agree with --user-agent")
	fl.StringVar(&f.extractIn, "extract-in", "thread", "`MODE`: where extraction runs, thread or process")
	fl.IntVar(&f.workers, "workers", 0, "`N` worker processes for --extract-in process (0: number of CPUs)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar and no stats summary")
	fl.StringVar(&f.progress, "progress", "auto", "progress bar on stderr, `WHEN`: auto (when stderr is a terminal that the records do not go to), always or never")
	fl.StringVar(&f.stats, "stats", "", "write the final stats as JSON to `FILE`")
	f.scale.register(fl)
	f.req.register(fl)
	f.registerWARC(fl)
	f.lim.register(fl)
	cmd.AddCommand(newCrawlStatusCmd())
	return cmd
}

// runCrawl checks the flags, runs the crawl and maps the outcome to an exit
// status.
func runCrawl(cmd *cobra.Command, args []string, f *crawlFlags) error {
	cfg, err := f.config(cmd.InOrStdin(), args)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil { // scrape.New's refusal, before any file
		return usageErrorf("%v", err)
	}
	scale, outOpts, err := f.prepareScale(cmd.Context(), &cfg)
	if err != nil {
		return err
	}
	if scale != nil {
		defer scale.Close(context.Background())
		if scale.Finished {
			return nil
		}
	}
	// Every file opens before the crawl, so that an unusable path is a usage
	// error before any request; a refused run takes away the files it made
	// and leaves those that were there as they were: the --stats and --warc
	// files are emptied only once the run is no longer refused, and the
	// output (opened WithOverwrite) at its first record or its Close.
	statsFile, discardStats, err := f.openStats()
	if err != nil {
		return err
	}
	archive, discardWARC, err := f.openWARC(&cfg, scale != nil && scale.Resumed)
	if err != nil {
		discardStats()
		return err
	}
	out, discardOut, err := openOutput(f, scrape.RuleNames(cfg.Rules), outOpts)
	if err != nil {
		discardWARC()
		discardStats()
		return err
	}
	cfg.Output = out
	if !f.quiet && progressWanted(f.progress, f.output, os.Stdout, os.Stderr) {
		bar := newBarProgress(os.Stderr)
		stderrBar.Store(bar)
		defer stderrBar.Store(nil)
		cfg.Progress = bar
	}
	c, err := scrape.New(cfg) // cfg.Validate passed: New does not refuse it
	if err != nil {
		discardOut()
		discardWARC()
		discardStats()
		return usageErrorf("%v", err)
	}
	if statsFile != nil {
		defer statsFile.Close()
	}
	if err := f.startFiles(cmd, &cfg, archive, statsFile); err != nil {
		discardOut()
		archive.Close()
		return err
	}
	// A second signal exits at once, but closes the output first (briefly),
	// so that a JSON array gets its closing bracket, and the WARC file
	// (after the write under way).
	ctx, stopSignals := interruptContext(func() { _ = out.Close(); _ = archive.Close() })
	defer stopSignals()
	stats, runErr := c.Run(ctx)
	if cerr := out.Close(); cerr != nil && runErr == nil {
		runErr = fmt.Errorf("close output %q: %w", f.output, cerr)
	}
	if cerr := archive.Close(); cerr != nil && runErr == nil {
		runErr = fmt.Errorf("--warc %q: %w", f.warc, cerr)
	}
	if err := f.report(stats, statsFile); err != nil && runErr == nil {
		runErr = err
	}
	switch {
	case runErr != nil:
		// Exit 1 whatever the message says (root's fallback would read
		// "invalid argument" in an OS error as a usage error).
		return exitError{code: 1, err: runErr}
	case stats.Interrupted:
		return exitError{code: 130}
	case stats.StartFailed == stats.StartURLs:
		why := ""
		switch {
		case len(stats.StartRobotsUnreachable) > 0:
			why = ": " + strings.Join(stats.StartRobotsUnreachable, "; ") +
				"; an unreachable robots.txt disallows the whole host (--ignore-robots fetches them anyway)"
		case stats.Pages == 0 && stats.RobotsBlocked > 0:
			why = ": robots.txt disallows them (--ignore-robots fetches them anyway)"
		}
		return exitError{code: 1, err: fmt.Errorf("every start URL failed (%d of %d)%s", stats.StartFailed, stats.StartURLs, why)}
	}
	return nil
}

// warnStderr is the crawl's Warn: one "poolscrape: warning:" line on
// stderr.
func warnStderr(msg string) { stderrLine("poolscrape: warning: " + userMessage(msg)) }

// forceCloseTimeout bounds how long a second signal waits for the output
// to close before the process exits.
const forceCloseTimeout = time.Second

// interruptContext returns a context cancelled by the first SIGINT or
// SIGTERM; a second one runs onForce (for at most forceCloseTimeout) and
// exits the process with status 130 (the output writer writes whole records
// per call, so the output holds whole lines).
func interruptContext(onForce func()) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			stderrLine("poolscrape: stopping: finishing in-flight requests (again to quit at once)")
			cancel()
		case <-done:
			return
		}
		select {
		case <-sig:
			closed := make(chan struct{})
			go func() { onForce(); close(closed) }()
			select {
			case <-closed:
			case <-time.After(forceCloseTimeout):
			}
			os.Exit(130)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sig)
		close(done)
		cancel()
	}
}

// report prints the summary (unless --quiet) and writes the stats to
// statsFile (nil without --stats), which it closes.
func (f *crawlFlags) report(s scrape.Stats, statsFile *os.File) error {
	if !f.quiet {
		_ = s.WriteSummary(os.Stderr)
	}
	if statsFile == nil {
		return nil
	}
	if err := s.WriteJSON(statsFile); err != nil {
		statsFile.Close()
		return fmt.Errorf("--stats %q: %w", f.stats, err)
	}
	if err := statsFile.Close(); err != nil {
		return fmt.Errorf("--stats %q: %w", f.stats, err)
	}
	return nil
}

// config turns the flags into a crawl config; every error is a usage error
// that names the flag and the value.
func (f *crawlFlags) config(stdin io.Reader, args []string) (scrape.Config, error) {
	starts, err := startURLs(stdin, args)
	if err != nil {
		return scrape.Config{}, err
	}
	cfg := scrape.Config{
		Starts: starts, Depth: f.depth, Concurrency: f.concurrency, PerHost: f.perHost,
		Delay: f.delay, AutoThrottle: f.autoThrottle, Retries: f.retries, Timeout: f.timeout,
		MaxPages: f.maxPages, IgnoreRobots: f.ignoreRobots, UserAgent: f.userAgent,
		ExtractIn: scrape.ExtractIn(f.extractIn), Workers: f.workers,
		MaxDelay: f.maxDelay, Warn: warnStderr,
	}
	if err := f.req.apply(&cfg); err != nil {
		return cfg, err
	}
	if strings.TrimSpace(f.userAgent) == "" {
		return cfg, usageErrorf("--user-agent %q: must not be empty", f.userAgent)
	}
	if err := headerUserAgent(&cfg, f.userAgent); err != nil { // crawlflags_request.go
		return cfg, err
	}
	if err := f.checkNumbers(); err != nil {
		return cfg, err
	}
	if err := f.checkLimits(); err != nil {
		return cfg, err
	}
	if err := f.checkChoices(&cfg); err != nil {
		return cfg, err
	}
	if err := f.lim.apply(&cfg); err != nil {
		return cfg, err
	}
	if cfg.MaxBody, err = parseSize(f.maxBody); err != nil {
		return cfg, usageErrorf("--max-body %q: %v", f.maxBody, err)
	}
	if cfg.Allow, err = compileAll("--allow", f.allow); err != nil {
		return cfg, err
	}
	if cfg.Deny, err = compileAll("--deny", f.deny); err != nil {
		return cfg, err
	}
	cfg.Rules, err = f.rules()
	return cfg, err
}

func (f *crawlFlags) checkNumbers() error {
	checks := []struct {
		flag string
		bad  bool
		val  any
	}{
		{"--depth", f.depth < -1, f.depth},
		{"--concurrency", f.concurrency < 1, f.concurrency},
		{"--per-host", f.perHost < 1, f.perHost},
		{"--retries", f.retries < 0, f.retries},
		{"--max-pages", f.maxPages < 0, f.maxPages},
		{"--workers", f.workers < 0, f.workers},
		{"--delay", f.delay < 0, f.delay},
		{"--max-delay", f.maxDelay <= 0, f.maxDelay},
		{"--timeout", f.timeout <= 0, f.timeout},
	}
	for _, c := range checks {
		if c.bad {
			return usageErrorf("%s %v: out of range", c.flag, c.val)
		}
	}
	return nil
}

func (f *crawlFlags) checkChoices(cfg *scrape.Config) error {
	scope, err := scrape.ParseScope(f.scope)
	if err != nil {
		return usageErrorf("--scope %q: want host, domain or any", f.scope)
	}
	cfg.Scope = scope
	if m := scrape.ExtractIn(f.extractIn); m != scrape.ExtractInThread && m != scrape.ExtractInProcess {
		return usageErrorf("--extract-in %q: want thread or process", f.extractIn)
	}
	if scrape.ExtractIn(f.extractIn) == scrape.ExtractInProcess {
		if err := executor.ProcessPoolSupported(); err != nil {
			return usageErrorf("--extract-in process: %v (use --extract-in thread)", err)
		}
	}
	if f.progress != "auto" && f.progress != "always" && f.progress != "never" {
		return usageErrorf("--progress %q: want auto, always or never", f.progress)
	}
	if f.format != "" {
		if _, err := output.ParseFormat(f.format); err != nil {
			return usageErrorf("--format %q: want jsonl, csv or json", f.format)
		}
	}
	if _, err := output.FormatFor(f.output, f.format); err != nil && f.format == "" && notRegularFile(f.output) {
		f.format = string(output.JSONL) // /dev/null, a FIFO, a terminal
	}
	if _, err := output.FormatFor(f.output, f.format); err != nil {
		return usageErrorf("--output %q: %v (or give --format)", f.output, err)
	}
	return f.checkWARC()
}

// notRegularFile reports whether path names an existing file that is not
// a regular one: a device, a FIFO. Records to such a file without --format
// and without a known extension are JSON lines.
func notRegularFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.Mode().IsRegular() && !fi.IsDir()
}

func (f *crawlFlags) rules() ([]scrape.Rule, error) {
	var rules []scrape.Rule
	for _, set := range []struct {
		flag  string
		kind  scrape.RuleKind
		specs []string
	}{{"--regex", scrape.RegexRule, f.regex}, {"--css", scrape.CSSRule, f.css}} {
		for _, spec := range set.specs {
			r, err := scrape.ParseRule(set.kind, spec)
			if err == nil {
				err = checkText("the name", r.Name)
			}
			if err != nil {
				return nil, usageErrorf("%s %q: %v", set.flag, spec, err)
			}
			rules = append(rules, r)
		}
	}
	return rules, nil
}

func compileAll(flag string, pats []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(pats))
	for _, p := range pats {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, usageErrorf("%s %q: %v", flag, p, err)
		}
		out = append(out, re)
	}
	return out, nil
}

// startURLs checks the URL arguments; "-" reads more from stdin, one a line
// (blank lines and # comments skipped).
func startURLs(stdin io.Reader, args []string) ([]string, error) {
	var raw []string
	for _, a := range args {
		if a != "-" {
			raw = append(raw, a)
			continue
		}
		sc := bufio.NewScanner(stdin)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line != "" && !strings.HasPrefix(line, "#") {
				raw = append(raw, line)
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read start URLs from stdin: %w", err)
		}
	}
	if len(raw) == 0 {
		return nil, usageErrorf("no start URL: give URL arguments, or - to read them from stdin")
	}
	for _, u := range raw {
		if _, err := scrape.Canonicalize(u); err != nil {
			return nil, usageErrorf("start URL %q: %s", scrape.RedactURL(u), scrape.RedactIn(err.Error(), u))
		}
	}
	return raw, nil
}
