package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/poolscrape/poolscrape/output"
	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/warc"
)

// openOutput opens the --output file for a crawl with those rule names,
// WithOverwrite: an existing file keeps its content until the first record
// or the output's Close. It also returns discard, for a run refused or
// failed after it (before the crawl): it aborts the output, which leaves
// a file that was there as it was, and removes the file if this run made
// it, so that such a run leaves none.
func openOutput(f *crawlFlags, rules []string, opts []output.Option) (out *output.Writer, discard func(), err error) {
	_, statErr := os.Lstat(f.output)
	made := f.output != output.Stdout && errors.Is(statErr, fs.ErrNotExist)
	opts = append(slices.Clip(opts), output.WithOverwrite())
	out, err = output.Open(f.output, output.Format(f.format), rules, opts...)
	if err != nil {
		return nil, nil, usageErrorf("--output %q: %v", f.output, err)
	}
	return out, func() {
		out.Abort()
		if made {
			os.Remove(f.output)
		}
	}, nil
}

// openStats opens (or creates) the --stats file before the crawl, so that
// an unwritable path is a usage error before any request, but leaves an
// existing file's content alone: startFiles empties it once the run is no
// longer refused. If the run is refused after all, the caller calls
// discard, which closes the file and removes it if this run made it. It
// returns nil without --stats.
func (f *crawlFlags) openStats() (file *os.File, discard func(), err error) {
	if f.stats == "" {
		return nil, func() {}, nil
	}
	_, statErr := os.Lstat(f.stats)
	made := errors.Is(statErr, fs.ErrNotExist)
	file, err = os.OpenFile(f.stats, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, usageErrorf("--stats %q: %v", f.stats, err)
	}
	return file, func() {
		file.Close()
		if made {
			os.Remove(f.stats)
		}
	}, nil
}

// startFiles starts the files of a run no longer refused: it writes the
// warcinfo record to archive (nil: no --warc), which replaces an existing
// file's content, and empties statsFile (nil: no --stats) if it is a
// regular file.
func (f *crawlFlags) startFiles(cmd *cobra.Command, cfg *scrape.Config, archive *warc.Writer, statsFile *os.File) error {
	if statsFile != nil {
		if st, err := statsFile.Stat(); err != nil || st.Mode().IsRegular() {
			if err == nil {
				err = statsFile.Truncate(0)
			}
			if err != nil {
				return exitError{code: 1, err: fmt.Errorf("--stats %q: %w", f.stats, err)}
			}
		}
	}
	return f.startWARC(cmd, cfg, archive)
}
