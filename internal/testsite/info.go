package testsite

import (
	"net/http"
	"strings"
)

// Info is what a path yields to a crawler that follows redirects and
// retries a failed first answer once.
type Info struct {
	// Path is the path asked about.
	Path string
	// Status is the final answer's status, after redirects and the retry.
	Status int
	// FirstStatus is the status of the first answer for paths that fail
	// once (503 for /flaky/N, 429 for /busy), else 0.
	FirstStatus int
	// Redirects are the paths the redirects lead through, in order, the
	// final one included (nil when Path does not redirect).
	Redirects []string
	// FinalPath is the last of Redirects, or Path.
	FinalPath string
	// ContentType is the final answer's Content-Type header.
	ContentType string
	// Title is the final page's <title>, decoded to UTF-8.
	Title string
	// Links are the final page's distinct same-site links in page order, as
	// paths with "?query" and without #fragment, robots-disallowed and
	// binary ones included; off-site, mailto: and javascript: links are not.
	Links []string
	// Matches holds, for each of Rules with at least one match on the final
	// page, its distinct matches in page order.
	Matches map[string][]string
}

// Info returns what path yields, or false when the site has no such page
// (a request for it gets a 404, like /missing/N).
func (s *Site) Info(path string) (Info, bool) {
	p, ok := s.build(path, origin{})
	if !ok {
		return Info{}, false
	}
	in := Info{Path: path, FinalPath: path, FirstStatus: p.failFirst}
	for hops := 0; p.location != "" && hops <= maxChain; hops++ {
		in.FinalPath = p.location
		in.Redirects = append(in.Redirects, p.location)
		if p, ok = s.build(p.location, origin{}); !ok {
			p = missing()
		}
	}
	in.Status, in.ContentType, in.Title = p.status, p.contentType, p.title
	in.Links = p.sitePaths()
	in.Matches = p.matches()
	return in, true
}

// sitePaths returns p's distinct same-site link paths in page order.
func (p *page) sitePaths() []string {
	var out []string
	for _, l := range p.links {
		if l.path != "" {
			out = appendDistinct(out, l.path)
		}
	}
	return out
}

// matches returns the matches of Rules on p (nil for non-HTML bodies).
func (p *page) matches() map[string][]string {
	if p.raw != nil {
		return nil
	}
	texts := append([]string{p.title, p.heading}, p.paras...)
	texts = append(texts, p.skus...)
	for _, l := range p.links {
		texts = append(texts, l.text)
	}
	text := strings.Join(texts, "\n")
	out := make(map[string][]string)
	for _, r := range Rules {
		var m []string
		if r.Kind == "regex" {
			m = regexMatches(regexRules[r.Name], text)
		} else {
			m = cssMatches(r.Name, p)
		}
		if len(m) > 0 {
			out[r.Name] = m
		}
	}
	return out
}

// isHTML reports whether an Info's final answer is an HTML page.
func (in Info) isHTML() bool { return strings.HasPrefix(in.ContentType, "text/html") }

// ok reports whether the final answer is a success.
func (in Info) ok() bool { return in.Status == http.StatusOK }
