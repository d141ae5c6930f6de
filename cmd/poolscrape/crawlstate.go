package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/poolscrape/poolscrape/output"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/diskfrontier"
	"github.com/poolscrape/poolscrape/scrape/redisfrontier"
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
}

// register adds the flags to crawl's flag set.
func (s *scaleFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&s.state, "state", "", "keep the frontier in `DIR` (bbolt): stop with Ctrl-C or a crash, rerun the same command to resume")
	fs.StringVar(&s.redisURL, "redis", "", "share the crawl through Redis at `URL` (redis://host:port/db) with every process of the same --job")
	fs.StringVar(&s.job, "job", "", "the shared crawl's `NAME` with --redis [derived from the start URLs and scope flags]")
	fs.DurationVar(&s.lease, "lease-timeout", 30*time.Second, "with --redis: a URL leased by a process that stops renewing it for this long is handed out again")
	fs.DurationVar(&s.maxOutage, "redis-max-outage", time.Minute, "with --redis: how long to retry while Redis is unreachable before stopping with an error")
}

// crawlIdentity names a crawl by the settings that decide which URLs it
// fetches: a state folder or a Redis job refuses a crawl with other ones.
func crawlIdentity(starts []string, scope string, allow, deny []string, depth int, ignoreRobots bool) diskfrontier.Identity {
	s := append([]string(nil), starts...)
	sort.Strings(s)
	list := func(v []string) string { b, _ := json.Marshal(v); return string(b) }
	return diskfrontier.Identity{
		"start URLs":    list(s),
		"scope":         scope,
		"allow":         list(allow),
		"deny":          list(deny),
		"depth":         strconv.Itoa(depth),
		"ignore-robots": strconv.FormatBool(ignoreRobots),
	}
}

// defaultJob is the job name derived from a crawl's identity: "crawl-" and
// 12 hex digits of its hash.
func defaultJob(id diskfrontier.Identity) string {
	b, _ := json.Marshal(id) // map keys are sorted: stable
	h := sha256.Sum256(b)
	return "crawl-" + hex.EncodeToString(h[:6])
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
		return usageErrorf("--state and --redis are exclusive: --state %q, --redis %q", s.state, s.redisURL)
	}
	if s.job != "" && s.redisURL == "" {
		return usageErrorf("--job %q needs --redis", s.job)
	}
	if s.redisURL != "" {
		if _, err := redis.ParseURL(s.redisURL); err != nil {
			return usageErrorf("--redis %q: %v", s.redisURL, err)
		}
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
func (s *scaleFlags) open(ctx context.Context, id diskfrontier.Identity, perHost int, delay time.Duration, outPath, format string) (*scaleRun, error) {
	if s.state != "" {
		return s.openState(ctx, id, outPath, format)
	}
	return s.openRedis(ctx, id, perHost, delay, outPath, format)
}

func (s *scaleFlags) openState(ctx context.Context, id diskfrontier.Identity, outPath, format string) (*scaleRun, error) {
	f, err := diskfrontier.Open(s.state, id)
	if errors.Is(err, diskfrontier.ErrIdentityMismatch) {
		return nil, usageErrorf("--state %s: %v", s.state, err)
	}
	if err != nil {
		return nil, fmt.Errorf("--state %s: %w", s.state, err)
	}
	r := &scaleRun{Frontier: f.ForScrape(), disk: f}
	c := f.Counts()
	if c.Seen == 0 {
		return r, nil
	}
	r.Resumed = true
	if c.Finished() {
		r.Finished = true
		r.Summary = fmt.Sprintf("the crawl in %s is finished already: %d pages done, %d failed", s.state, c.Done, c.Failed)
		return r, nil
	}
	written, err := recoverOutput(outPath, format)
	if err != nil {
		f.Close()
		return nil, err
	}
	marked, err := f.MarkWritten(ctx, written)
	if err != nil {
		f.Close()
		return nil, err
	}
	c = f.Counts()
	r.Summary = fmt.Sprintf("resuming the crawl in %s: %d done, %d queued (%d were in flight, %d of them written already)",
		s.state, c.Done+c.Failed, c.Queued, f.Requeued(), marked)
	return r, nil
}

// recoverOutput cuts a torn last record off the output and returns the URLs
// of its records (none for standard output, which cannot be read back).
func recoverOutput(path, format string) ([]string, error) {
	if path == "" || path == output.Stdout {
		return nil, nil
	}
	rec, err := output.Recover(path, output.Format(format))
	if err != nil {
		return nil, usageErrorf("--output %s: cannot resume into it: %v", path, err)
	}
	urls := make([]string, 0, len(rec.URLs))
	for u := range rec.URLs {
		urls = append(urls, u)
	}
	return urls, nil
}

func (s *scaleFlags) openRedis(ctx context.Context, id diskfrontier.Identity, perHost int, delay time.Duration, outPath, format string) (*scaleRun, error) {
	opts, err := redis.ParseURL(s.redisURL)
	if err != nil {
		return nil, usageErrorf("--redis %q: %v", s.redisURL, err)
	}
	client := redis.NewClient(opts)
	job := s.job
	if job == "" {
		job = defaultJob(id)
	}
	f, err := redisfrontier.Open(ctx, client, job, id, redisfrontier.Options{LeaseTimeout: s.lease, MaxOutage: s.maxOutage})
	if errors.Is(err, redisfrontier.ErrIdentityMismatch) {
		client.Close()
		return nil, usageErrorf("--job %s: %v", job, err)
	}
	if err != nil {
		client.Close()
		return nil, fmt.Errorf("--redis %s: %w", s.redisURL, err)
	}
	r := &scaleRun{shared: f, client: client,
		Frontier: f.ForScrape(10 * time.Millisecond), Gate: f.NewGate(perHost, delay, 5*time.Millisecond).ForScrape()}
	c, err := f.Counts(ctx)
	if err != nil {
		r.Close(ctx)
		return nil, err
	}
	if c.Seen > 0 {
		r.Resumed = true
		if c.Finished() {
			r.Finished = true
			r.Summary = fmt.Sprintf("job %s is finished already: %d pages done, %d failed", job, c.Done, c.Failed)
			return r, nil
		}
		if _, err := recoverOutput(outPath, format); err != nil {
			r.Close(ctx)
			return nil, err
		}
		r.Summary = fmt.Sprintf("joining job %s: %d done, %d queued, %d leased, %d processes", job, c.Done+c.Failed, c.Queued, c.Leased, c.Processes)
	} else {
		r.Summary = fmt.Sprintf("starting job %s", job)
	}
	return r, nil
}

// Close closes the state folder, or leaves the job (giving back this
// process's unfinished leases) and closes the Redis client.
func (r *scaleRun) Close(ctx context.Context) error {
	switch {
	case r.disk != nil:
		return r.disk.Close()
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
	id := crawlIdentity(cfg.Starts, f.scope, f.allow, f.deny, f.depth, f.ignoreRobots)
	run, err := s.open(ctx, id, f.perHost, f.delay, f.output, f.format)
	if err != nil {
		return nil, nil, err
	}
	run.report(os.Stderr, f.quiet && !run.Finished)
	cfg.Frontier = run.Frontier
	if run.Gate != nil {
		cfg.Gate = run.Gate
	}
	if !run.Resumed {
		return run, nil, nil
	}
	return run, []output.Option{output.WithAppend()}, nil
}
