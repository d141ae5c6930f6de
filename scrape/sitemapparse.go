package scrape

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The sitemap protocol's bounds (sitemaps.org), and the crawler's own.
const (
	maxSitemapURLs  = 50_000     // <loc>s read from one file (the protocol's limit)
	maxSitemapBytes = 50_000_000 // bytes of one file, uncompressed (the protocol's limit)
	maxSitemapLoc   = 8 << 10    // bytes of one <loc> (the protocol says 2,048 characters)
	// maxSitemapFiles is how many sitemap files one host's sitemaps may
	// take, indexes included.
	maxSitemapFiles = 100
	// maxSitemapDepth is how deep indexes may nest: an index (depth 0)
	// may list an index (depth 1), whose sitemaps are read, no further.
	maxSitemapDepth = 2
)

// errSitemapCut says a sitemap was read only up to a bound.
var errSitemapCut = errors.New("scrape: sitemap cut at a bound")

// sitemapEntry is one <loc> of a sitemap: a page, or (index) a sitemap.
type sitemapEntry struct {
	loc   string
	index bool // from <sitemapindex><sitemap>
}

// parseSitemap streams the <loc>s of a sitemap or sitemap index in r to
// emit, at most maxURLs of them and maxBytes of r. It returns
// errSitemapCut (wrapped) at a bound, or the XML error; the entries read
// before it were emitted.
func parseSitemap(r io.Reader, maxURLs int, maxBytes int64, emit func(sitemapEntry)) error {
	lr := &io.LimitedReader{R: r, N: maxBytes + 1}
	d := xml.NewDecoder(lr)
	d.Strict = false
	var stack []string
	var loc strings.Builder
	n := 0
	for {
		tok, err := d.Token()
		if lr.N <= 0 {
			return fmt.Errorf("%w: over %d bytes", errSitemapCut, maxBytes)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sitemap XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, strings.ToLower(t.Name.Local))
			if len(stack) > 8 {
				return fmt.Errorf("sitemap XML: elements nested over 8 deep")
			}
			loc.Reset()
		case xml.CharData:
			if top(stack) == "loc" && loc.Len()+len(t) <= maxSitemapLoc {
				loc.Write(t)
			}
		case xml.EndElement:
			if e, ok := entryAt(stack, loc.String()); ok {
				if n >= maxURLs {
					return fmt.Errorf("%w: over %d URLs", errSitemapCut, maxURLs)
				}
				n++
				emit(e)
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}

// entryAt returns the entry that the end of the top element of stack
// completes: a <loc> in <url> or in <sitemap>.
func entryAt(stack []string, loc string) (sitemapEntry, bool) {
	if len(stack) < 2 || stack[len(stack)-1] != "loc" {
		return sitemapEntry{}, false
	}
	loc = strings.TrimSpace(loc)
	switch stack[len(stack)-2] {
	case "url":
		return sitemapEntry{loc: loc}, loc != ""
	case "sitemap":
		return sitemapEntry{loc: loc, index: true}, loc != ""
	}
	return sitemapEntry{}, false
}

func top(stack []string) string {
	if len(stack) == 0 {
		return ""
	}
	return stack[len(stack)-1]
}
