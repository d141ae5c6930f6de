package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// registerWARC adds --warc.
func (f *crawlFlags) registerWARC(fl *pflag.FlagSet) {
	fl.StringVar(&f.warc, "warc", "", "also archive every HTTP exchange in the WARC 1.1 `FILE` (.warc, or .warc.gz: gzip per record)")
}

// checkWARC checks the --warc file name before any request.
func (f *crawlFlags) checkWARC() error {
	if f.warc == "" {
		return nil
	}
	if _, err := warc.Compressed(f.warc); err != nil {
		return usageErrorf("--warc %q: want a FILE ending in .warc or .warc.gz", f.warc)
	}
	return nil
}

// openWARC opens the --warc file into cfg.Archive: a new file, or, when
// the crawl resumes (--state, --redis), the old one to append to after its
// torn tail is cut. It returns nil without --warc. An existing file of a
// fresh crawl keeps its content until the warcinfo record (startWARC),
// which the caller writes once the run is no longer refused, replaces it;
// the caller closes the writer after the crawl, or, if the run is refused
// after all (the output does not open), calls discard, which closes it and
// removes the file if this run made it (no file was there): a file that
// was there, a resumed crawl's or another one, is kept as it was.
func (f *crawlFlags) openWARC(cfg *scrape.Config, resumed bool) (w *warc.Writer, discard func(), err error) {
	if f.warc == "" {
		return nil, func() {}, nil
	}
	open := warc.Overwrite
	if resumed {
		open = warc.Append
	}
	_, statErr := os.Lstat(f.warc)
	made := errors.Is(statErr, fs.ErrNotExist)
	w, err = open(f.warc)
	if err != nil {
		return nil, nil, usageErrorf("--warc %q: %v", f.warc, err)
	}
	cfg.Archive = w
	return w, func() {
		w.Close()
		if made {
			os.Remove(f.warc)
		}
	}, nil
}

// startWARC writes the warcinfo record of the crawl to w, the --warc file
// (nil: none).
func (f *crawlFlags) startWARC(cmd *cobra.Command, cfg *scrape.Config, w *warc.Writer) error {
	if w == nil {
		return nil
	}
	if err := w.WriteInfo(time.Now(), warcInfo(cmd, cfg)); err != nil {
		return exitError{code: 1, err: fmt.Errorf("--warc %q: %w", f.warc, err)}
	}
	return nil
}

// warcInfo is the warcinfo record of a crawl: the software, the format, the
// start URLs and every flag of the crawl command with its value; a password
// in a URL (--redis, --proxy, a start URL) is masked, and the values of
// --auth, --cookie and --header are left out.
func warcInfo(cmd *cobra.Command, cfg *scrape.Config) []warc.Field {
	fields := []warc.Field{
		{Name: "software", Value: "poolscrape/" + version},
		{Name: "format", Value: "WARC File Format 1.1"},
		{Name: "conformsTo", Value: "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"},
		{Name: "http-header-user-agent", Value: cfg.UserAgent},
		{Name: "robots", Value: map[bool]string{true: "ignore", false: "obey"}[cfg.IgnoreRobots]},
	}
	for _, s := range cfg.Starts {
		fields = append(fields, warc.Field{Name: "start-url", Value: redacted(s)})
	}
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		v := redacted(fl.Value.String())
		switch {
		case fl.Name == "help":
			return
		case secretFlags[fl.Name] && fl.Changed:
			v = "(given; not archived)"
		}
		fields = append(fields, warc.Field{Name: "poolscrape-" + fl.Name, Value: v})
	})
	return fields
}

// secretFlags are the flags whose values may hold credentials: the
// warcinfo record says only that they were given.
var secretFlags = map[string]bool{"auth": true, "cookie": true, "header": true}

// redacted is v with the password of a URL in it replaced by "xxxxx".
func redacted(v string) string {
	if u, err := url.Parse(v); err == nil && u.User != nil {
		return u.Redacted()
	}
	return v
}
