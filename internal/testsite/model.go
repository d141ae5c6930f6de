package testsite

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding"
)

// link is one <a> on a page: href as written, the same-site path (with
// query, without fragment) it resolves to, or "" when it leaves the site.
type link struct {
	href, path, class, text string
}

// page is the model of what the site serves at one path; the handler
// renders it and Info reads the expectations off it.
type page struct {
	status      int
	failFirst   int    // status of the first answer (503, 429), 0: none
	retryAfter  string // Retry-After of that first answer
	location    string // redirect target path, for 3xx
	contentType string
	metaCharset string            // charset declared only in a <meta> tag
	enc         encoding.Encoding // body encoding; nil: UTF-8
	title       string
	heading     string
	paras       []string
	skus        []string
	links       []link
	raw         []byte        // a non-HTML body (robots.txt, binaries)
	padTo       int           // pad the HTML to this many bytes (/big)
	delay       time.Duration // answer after this (/slow)
}

// origin is the scheme and host a page is served under ("" in Info).
type origin struct{ scheme, host string }

const htmlUTF8 = "text/html; charset=utf-8"

// htmlPage returns a 200 UTF-8 HTML page model.
func htmlPage(title, heading string) *page {
	return &page{status: http.StatusOK, contentType: htmlUTF8, title: title, heading: heading}
}

// add appends a link to a same-site path.
func (p *page) add(href, path, text string) {
	p.links = append(p.links, link{href: href, path: path, text: text})
}

// number parses s as a canonical non-negative decimal (no sign, no leading
// zeros), so that one page has exactly one path.
func number(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// build returns the model of path, or false when the site has no such page.
func (s *Site) build(path string, o origin) (*page, bool) {
	if path == "/" {
		return s.home(o), true
	}
	if path == "/robots.txt" {
		return s.robots(), true
	}
	dir, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if n, ok := number(rest); ok {
		switch dir {
		case "page":
			return s.numbered(n, o)
		case "author":
			return s.author(n)
		case "slow":
			return s.slow(n)
		}
	}
	if s.cfg.Plain {
		return nil, false
	}
	return s.oneOff(dir, rest, o)
}

// numbered returns /page/n.
func (s *Site) numbered(n int, o origin) (*page, bool) {
	if n >= s.cfg.Pages {
		return nil, false
	}
	return s.pageN(n, o), true
}

// author returns /author/k.
func (s *Site) author(k int) (*page, bool) {
	if k >= Authors {
		return nil, false
	}
	name := "Author " + strconv.Itoa(k)
	p := htmlPage(name, name)
	p.paras = []string{"Write to author" + strconv.Itoa(k) + "@example.test."}
	p.add("/", "/", "Home")
	p.add("/page/0", "/page/0", "First page")
	return p, true
}

// slow returns /slow/ms, answered after ms milliseconds (a minute at most).
func (s *Site) slow(ms int) (*page, bool) {
	p := htmlPage("Slow", "Slow")
	p.delay = time.Duration(min(ms, 60000)) * time.Millisecond
	p.add("/", "/", "Home")
	return p, true
}

// robots returns /robots.txt.
func (s *Site) robots() *page {
	body := "User-agent: *\nDisallow: /private/\n"
	if s.cfg.CrawlDelay > 0 {
		body += "Crawl-delay: " + strconv.FormatFloat(s.cfg.CrawlDelay.Seconds(), 'f', -1, 64) + "\n"
	}
	return &page{status: http.StatusOK, contentType: "text/plain; charset=utf-8", raw: []byte(body)}
}
