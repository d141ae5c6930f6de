package testsite

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"
)

// served is what the test crawler saw at one linked URL.
type served struct {
	status   int
	final    string
	title    string
	links    []string
	matches  map[string][]string // from the text content
	srcMatch map[string][]string // regex rules on the decoded source
}

// testCrawler is a plain breadth-first crawler written with net/http and
// goquery, independent of the site's own model, to check what the handler
// serves against what Expected and Info claim.
type testCrawler struct {
	t      *testing.T
	client *http.Client
	base   *url.URL
	deny   []string
	binary *regexp.Regexp
}

func newTestCrawler(t *testing.T, srv *httptest.Server) *testCrawler {
	t.Helper()
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := &testCrawler{t: t, client: srv.Client(), base: base, binary: regexp.MustCompile(`(?i)\.(pdf|png|zip|jpe?g|gif)$`)}
	c.deny = c.robotsDisallow()
	return c
}

// robotsDisallow reads the Disallow prefixes of robots.txt.
func (c *testCrawler) robotsDisallow() []string {
	resp, err := c.client.Get(c.base.String() + "/robots.txt")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var deny []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Disallow:"); ok {
			deny = append(deny, strings.TrimSpace(v))
		}
	}
	return deny
}

// crawl walks the site from "/" to maxDepth hops, returning what it saw at
// each linked path and the depth it first saw it at.
func (c *testCrawler) crawl(maxDepth int) (map[string]int, map[string]served) {
	depths := map[string]int{"/": 0}
	pages := map[string]served{}
	queue := []string{"/"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		got := c.fetch(p)
		pages[p] = got
		if depths[p] >= maxDepth {
			continue
		}
		for _, l := range got.links {
			if _, dup := depths[l]; dup || c.skip(l) {
				continue
			}
			depths[l] = depths[p] + 1
			queue = append(queue, l)
		}
	}
	return depths, pages
}

// skip reports whether the crawler must not fetch path: binary or denied.
func (c *testCrawler) skip(p string) bool {
	u, _ := url.Parse(p)
	if c.binary.MatchString(path.Ext(u.Path)) {
		return true
	}
	for _, d := range c.deny {
		if d != "" && strings.HasPrefix(u.Path, d) {
			return true
		}
	}
	return false
}

// fetch gets one path, following redirects and retrying one 503 or 429.
func (c *testCrawler) fetch(p string) served {
	c.t.Helper()
	resp := c.get(p)
	if resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusTooManyRequests {
		if resp.Header.Get("Retry-After") == "" {
			c.t.Errorf("%s: %d without Retry-After", p, resp.StatusCode)
		}
		resp.Body.Close()
		resp = c.get(p)
	}
	defer resp.Body.Close()
	got := served{status: resp.StatusCode, final: resp.Request.URL.RequestURI()}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		return got
	}
	r, err := charset.NewReader(resp.Body, resp.Header.Get("Content-Type"))
	if err != nil {
		c.t.Fatalf("%s: charset: %v", p, err)
	}
	src, err := io.ReadAll(r)
	if err != nil {
		c.t.Fatalf("%s: read: %v", p, err)
	}
	c.parse(&got, resp.Request.URL, string(src))
	return got
}

func (c *testCrawler) get(p string) *http.Response {
	c.t.Helper()
	resp, err := c.client.Get(c.base.String() + p)
	if err != nil {
		c.t.Fatalf("GET %s: %v", p, err)
	}
	return resp
}

// parse fills in title, links and matches from a decoded HTML page.
func (c *testCrawler) parse(got *served, at *url.URL, src string) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(src))
	if err != nil {
		c.t.Fatalf("%s: parse: %v", at, err)
	}
	got.title = doc.Find("title").Text()
	doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u, err := at.Parse(href)
		if err != nil || u.Host != c.base.Host || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		u.Fragment = ""
		if !slices.Contains(got.links, u.RequestURI()) {
			got.links = append(got.links, u.RequestURI())
		}
	})
	got.matches, got.srcMatch = map[string][]string{}, map[string][]string{}
	for _, r := range Rules {
		var m, sm []string
		switch {
		case r.Kind == "regex":
			m = regexMatches(regexp.MustCompile(r.Expr), doc.Text())
			sm = regexMatches(regexp.MustCompile(r.Expr), src)
		default:
			m = cssRule(doc, r.Expr)
		}
		if len(m) > 0 {
			got.matches[r.Name] = m
		}
		if len(sm) > 0 {
			got.srcMatch[r.Name] = sm
		}
	}
}

// cssRule runs a SELECTOR or SELECTOR@attr rule with goquery.
func cssRule(doc *goquery.Document, expr string) []string {
	sel, attr, hasAttr := strings.Cut(expr, "@")
	var out []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		v := strings.TrimSpace(s.Text())
		if hasAttr {
			v, _ = s.Attr(attr)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	})
	return out
}
