package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/poolscrape/poolscrape/scrape/diskfrontier"
	"github.com/poolscrape/poolscrape/scrape/resume"
	"github.com/spf13/pflag"
)

// registerRecrawl adds --recrawl to crawl's flag set.
func (s *scaleFlags) registerRecrawl(fs *pflag.FlagSet) {
	fs.BoolVar(&s.recrawl, "recrawl", false, "with --state DIR of a finished crawl: a new pass over its URLs with conditional requests (If-None-Match, If-Modified-Since); records say new, changed, unchanged or gone")
}

// checkRecrawl refuses --recrawl without --state, and with --redis: a
// shared job keeps no per-URL validators (ETag, Last-Modified, body hash,
// links), so a recrawl of it could not send conditional requests nor
// follow the links of a 304.
func (s *scaleFlags) checkRecrawl() error {
	switch {
	case !s.recrawl:
		return nil
	case s.redisURL != "":
		return usageErrorf("--recrawl with --redis %q: a shared job keeps no per-URL validators (ETag, Last-Modified, body hash, links) to recrawl with; use --state", s.redisURL)
	case s.state == "":
		return usageErrorf("--recrawl needs --state DIR: the state of a finished crawl, whose URLs and validators it recrawls")
	}
	if _, err := os.Stat(filepath.Join(s.state, diskfrontier.FileName)); err != nil {
		return usageErrorf("--recrawl: --state %s holds no crawl (%v): run the first pass without --recrawl", s.state, err)
	}
	return nil
}

// startPass turns the finished crawl of a --state run into a new pass
// (--recrawl): a crawl still unfinished is a usage error, as --recrawl
// would drop what it has left to do, and so are pass files that hold
// something (checkPassFiles).
func (s *scaleFlags) startPass(ctx context.Context, r *scaleRun, plan resume.Plan) error {
	if plan.State != resume.Finished {
		c := r.disk.Progress()
		r.Close(ctx)
		return usageErrorf("--recrawl: the crawl in --state %s has not finished (%d queued, %d leased): rerun it without --recrawl to finish it first", s.state, c.Queued, c.Leased)
	}
	if err := s.checkPassFiles(); err != nil {
		r.Close(ctx)
		return err
	}
	baseline := !r.disk.PageData()
	n, err := r.disk.StartPass(ctx)
	if errors.Is(err, diskfrontier.ErrNotFinished) {
		r.Close(ctx)
		return usageErrorf("--recrawl: --state %s: %v", s.state, err)
	}
	if err != nil {
		r.Close(ctx)
		return fmt.Errorf("--recrawl: --state %s: %w", s.state, err)
	}
	r.Resumed, r.Finished = false, false
	r.Summary = fmt.Sprintf("recrawling the crawl in %s: %d URLs of the previous pass, with conditional requests", s.state, n)
	if baseline {
		warnStderr(fmt.Sprintf("--recrawl: --state %s holds no page data (ETags, Last-Modified, body hashes, links: it was made before poolscrape kept them), so this pass cannot tell changes: it crawls afresh, without conditional requests, its records have no change, and the next --recrawl compares with it", s.state))
		r.Summary = fmt.Sprintf("recrawling the crawl in %s afresh: no page data to compare with", s.state)
	}
	return nil
}

// passFiles are the files a pass writes: --output and --warc ("": none).
type passFiles struct{ output, warc string }

// checkPassFiles refuses a --recrawl whose --output or --warc FILE holds
// something: a pass writes both afresh, so it would truncate what they
// hold, the records of an earlier pass when the same names are given every
// night. Appending is not offered instead: an interrupted pass resumes by
// reading its output back, and the records of an earlier pass in it would
// count as done URLs this pass has not fetched.
func (s *scaleFlags) checkPassFiles() error {
	for _, f := range []struct{ flag, path string }{{"--output", s.files.output}, {"--warc", s.files.warc}} {
		if f.path == "" || f.path == "-" {
			continue
		}
		fi, err := os.Stat(f.path)
		if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
			continue // a new file, or one the writer reports on
		}
		return usageErrorf("--recrawl: %s %s holds %d bytes (an earlier pass?) and a pass writes its files afresh: give each pass its own %s FILE, or move that one away", f.flag, f.path, fi.Size(), f.flag)
	}
	return nil
}
