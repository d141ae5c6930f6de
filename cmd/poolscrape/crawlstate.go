package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/poolscrape/poolscrape/output"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/diskfrontier"
	"github.com/poolscrape/poolscrape/scrape/redisfrontier"
	"github.com/poolscrape/poolscrape/scrape/resume"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/pflag"
)

// scaleFlags are crawl's flags for resumable (--state) and shared (--redis)
// crawls.
type scaleFlags struct {
	state     string
	redisURL  string
	job       string
	lease     time.Duration
	maxOutage time.Duration
	recrawl   bool      // --recrawl: crawlrecrawl.go
	files     passFiles // the crawl's --output and --warc, which --recrawl checks
}

// register adds the flags to crawl's flag set.
func (s *scaleFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&s.state, "state", "", "keep the frontier in `DIR` (bbolt): stop with Ctrl-C or a crash, rerun the same command to resume")
	fs.StringVar(&s.redisURL, "redis", "", "share the crawl through Redis at `URL` (redis://host:port/db) with every process of the same --job")
	fs.StringVar(&s.job, "job", "", "the shared crawl's `NAME` with --redis [derived from the start URLs and scope flags]")
	fs.DurationVar(&s.lease, "lease-timeout", 30*time.Second, "with --redis: a URL leased by a process that stops renewing it for `D` is handed out again")
	fs.DurationVar(&s.maxOutage, "redis-max-outage", time.Minute, "with --redis: how long (`D`) to retry while Redis is unreachable, once connected, before stopping with an error (a first connection that fails is an error at once)")
	s.registerRecrawl(fs)
}

// scaleRun is what a --state or --redis crawl plugs into the crawler.
type scaleRun struct {
	Frontier scrape.Frontier
	Gate     scrape.HostGate // nil: the crawler's own
	Resumed  bool            // the state or job existed: append to the output
	Finished bool            // nothing left to do: say so and exit 0
	Summary  string          // what was found, for stderr
	disk     *diskfrontier.Frontier
	shared   *redisfrontier.Frontier
	client   *redis.Client
}

// check validates the flag combination before any request (usage errors).
func (s *scaleFlags) check() error {
	if s.state != "" && s.redisURL != "" {
		return usageErrorf("--state and --redis are exclusive: --state %q, --redis %q", s.state, scrape.RedactURL(s.redisURL))
	}
	if s.job != "" && s.redisURL == "" {
		return usageErrorf("--job %q needs --redis", s.job)
	}
	if s.redisURL != "" {
		if _, err := redis.ParseURL(s.redisURL); err != nil {
			return usageErrorf("--redis %q: %s", scrape.RedactURL(s.redisURL), scrape.RedactIn(err.Error(), s.redisURL))
		}
	}
	if err := s.checkRecrawl(); err != nil {
		return err
	}
	if s.lease < time.Second {
		return usageErrorf("--lease-timeout %v: must be at least 1s", s.lease)
	}
	return s.checkValues()
}

// checkValues checks the values check does not: upper bounds, the --job
// text, and that --state is a directory (or does not exist yet).
func (s *scaleFlags) checkValues() error {
	err := firstOutOfRange([]bound{
		{"--lease-timeout", s.lease, s.lease > maxFlagDuration, "1s to " + maxFlagDuration.String()},
		{"--redis-max-outage", s.maxOutage, s.maxOutage < time.Second || s.maxOutage > maxFlagDuration, "1s to " + maxFlagDuration.String()},
	})
	if err != nil {
		return err
	}
	if err := checkText("--job", s.job); err != nil {
		return err
	}
	if s.state != "" {
		return checkDirFlag("--state", s.state)
	}
	return nil
}

// enabled reports whether the crawl uses --state or --redis.
func (s *scaleFlags) enabled() bool { return s.state != "" || s.redisURL != "" }

// open opens the state folder or joins the Redis job. outPath and format
// are the crawl's output, recovered (its torn last line cut, its URLs
// marked written) when the crawl resumes.
func (s *scaleFlags) open(ctx context.Context, id resume.Identity, perHost int, delay time.Duration, outPath, format string) (*scaleRun, error) {
	if s.state != "" {
		return s.openState(ctx, id, outPath, format)
	}
	return s.openRedis(ctx, id, redisfrontier.GateConfig{PerHost: perHost, Delay: delay}, outPath, format)
}

func (s *scaleFlags) openState(ctx context.Context, id resume.Identity, outPath, format string) (*scaleRun, error) {
	f, err := diskfrontier.Open(s.state, id, diskfrontier.Config{})
	if errors.Is(err, resume.ErrIdentityMismatch) {
		return nil, usageErrorf("--state %s: %v", s.state, err)
	}
	if err != nil {
		return nil, fmt.Errorf("--state %s: %w", s.state, err)
	}
	r := &scaleRun{Frontier: f, disk: f}
	plan, err := r.prepare(ctx, outPath, format)
	if err != nil {
		return nil, err
	}
	if s.recrawl {
		return r, s.startPass(ctx, r, plan)
	}
	c := f.Progress()
	switch plan.State {
	case resume.Finished:
		r.Summary = fmt.Sprintf("the crawl in %s is finished already: %d pages done, %d failed", s.state, c.Done, c.Failed)
	case resume.Unfinished:
		r.Summary = fmt.Sprintf("resuming the crawl in %s: %d done, %d queued (%d were in flight, %d of them written already)",
			s.state, c.Done+c.Failed, c.Queued, f.Requeued(), plan.Marked)
	}
	return r, nil
}

// prepare tells a new crawl from one to resume or one finished already
// (resume.Prepare), readying the output of one to resume; on an error it
// closes the run.
func (r *scaleRun) prepare(ctx context.Context, outPath, format string) (resume.Plan, error) {
	plan, err := resume.Prepare(ctx, r.Frontier, outPath, output.Format(format))
	if err != nil {
		r.Close(ctx)
		if errors.Is(err, resume.ErrOutput) {
			return plan, usageErrorf("--output %s: %v", outPath, err)
		}
		return plan, err
	}
	r.Resumed = plan.State.Resumed()
	r.Finished = plan.State == resume.Finished
	return plan, nil
}

func (s *scaleFlags) openRedis(ctx context.Context, id resume.Identity, gate redisfrontier.GateConfig, outPath, format string) (*scaleRun, error) {
	client, err := connectRedis(ctx, s.redisURL)
	if err != nil {
		return nil, err
	}
	job := s.job
	if job == "" {
		job = id.Job()
	}
	f, err := redisfrontier.Open(ctx, client, job, id, redisfrontier.Config{LeaseTimeout: s.lease, MaxOutage: s.maxOutage, OnRetry: redisRetryLine("--redis-max-outage " + s.maxOutage.String()), OnReconnect: redisReconnectLine})
	if errors.Is(err, resume.ErrIdentityMismatch) {
		client.Close()
		return nil, usageErrorf("--job %s: %v", job, err)
	}
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("--redis %s: %w", s.redisURL, err)
	}
	r := &scaleRun{shared: f, client: client, Frontier: f, Gate: f.NewGate(gate)}
	plan, err := r.prepare(ctx, outPath, format)
	if err != nil {
		return nil, err
	}
	c, err := f.Progress(ctx)
	if err != nil {
		r.Close(ctx)
		return nil, err
	}
	switch plan.State {
	case resume.New:
		r.Summary = fmt.Sprintf("starting job %s", job)
	case resume.Finished:
		r.Summary = fmt.Sprintf("job %s is finished already: %d pages done, %d failed", job, c.Done, c.Failed)
	default:
		r.Summary = fmt.Sprintf("joining job %s: %d done, %d queued, %d leased, %d processes", job, c.Done+c.Failed, c.Queued, c.Leased, c.Processes)
	}
	return r, nil
}

// Close closes the state folder, or leaves the job (giving back this
// process's unfinished leases) and closes the Redis client.
func (r *scaleRun) Close(ctx context.Context) error {
	switch {
	case r.disk != nil:
		return r.disk.Close(ctx)
	case r.shared != nil:
		err := r.shared.Close(ctx)
		if cerr := r.client.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return nil
}

// report prints the summary line unless quiet.
func (r *scaleRun) report(w io.Writer, quiet bool) {
	if !quiet && r.Summary != "" {
		fmt.Fprintln(w, "poolscrape:", strings.TrimSpace(r.Summary))
	}
}

// prepareScale opens the --state folder or joins the --redis job and plugs
// its frontier (and shared gate) into cfg. It returns nil when neither flag
// is given, and the options for output.Open: a resumed crawl appends to its
// output, after Recover has cut off a torn last line. The caller closes the
// returned run after the crawl, and exits 0 at once when it is Finished.
func (f *crawlFlags) prepareScale(ctx context.Context, cfg *scrape.Config) (*scaleRun, []output.Option, error) {
	s := &f.scale
	if err := s.check(); err != nil {
		return nil, nil, err
	}
	if !s.enabled() {
		return nil, nil, nil
	}
	if format, err := output.FormatFor(f.output, f.format); err == nil && format == output.JSON {
		return nil, nil, usageErrorf("--output %q: a JSON array cannot be resumed or shared; use .jsonl or .csv with --state or --redis", f.output)
	}
	s.files = passFiles{output: f.output, warc: f.warc}
	id, err := resume.IdentityOf(*cfg)
	if err != nil {
		return nil, nil, usageErrorf("%v", err)
	}
	run, err := s.open(ctx, id, f.perHost, f.delay, f.output, f.format)
	if err != nil {
		return nil, nil, err
	}
	run.report(os.Stderr, f.quiet && !run.Finished)
	cfg.Frontier = run.Frontier
	if run.disk != nil {
		cfg.Pages = run.disk // kept for a later --recrawl
	}
	if run.Gate != nil {
		cfg.Gate = run.Gate
	}
	if err := shareJobWide(ctx, run, cfg); err != nil { // crawlflags_limits.go
		run.Close(ctx)
		return nil, nil, err
	}
	if !run.Resumed {
		return run, nil, nil
	}
	return run, []output.Option{output.WithAppend()}, nil
}
