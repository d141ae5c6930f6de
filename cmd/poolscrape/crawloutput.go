package main

import (
	"errors"
	"io/fs"
	"os"

	"github.com/poolscrape/poolscrape/output"
)

// openOutput opens the --output file for a crawl with those rule names.
// It also returns discard, for a run refused after it: it closes the
// output and removes the file if this run made it (no file was there), so
// that a refused run leaves none; a file that was there, such as a resumed
// crawl's, is kept.
func openOutput(f *crawlFlags, rules []string, opts []output.Option) (out *output.Writer, discard func(), err error) {
	_, statErr := os.Lstat(f.output)
	made := f.output != output.Stdout && errors.Is(statErr, fs.ErrNotExist)
	out, err = output.Open(f.output, output.Format(f.format), rules, opts...)
	if err != nil {
		return nil, nil, usageErrorf("--output %q: %v", f.output, err)
	}
	return out, func() {
		out.Close()
		if made {
			os.Remove(f.output)
		}
	}, nil
}
