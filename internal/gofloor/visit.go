package gofloor

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/net/html"
)

// MaxBody is the most of a body Crawl reads; the rest is not read.
const MaxBody = 10 << 20

// fetchTimeout bounds each fetch, body included.
const fetchTimeout = 30 * time.Second

// visit fetches u and, on a 2xx answer, runs the regexes over the body and
// returns the new links on it. A failed fetch is no page and no links.
func (c *crawler) visit(ctx context.Context, u string) result {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return result{}
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return result{}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
		return result{}
	}
	for _, re := range c.regexes {
		_ = re.FindAllSubmatch(body, -1)
	}
	return result{page: true, links: c.markNew(c.links(resp.Request.URL, body))}
}

// links returns the <a href> links of body resolved against base, without
// their #fragment, that are http(s) URLs on the crawl's host.
func (c *crawler) links(base *url.URL, body []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			if href, ok := anchorHref(z); ok {
				if l, ok := c.resolve(base, href); ok {
					out = append(out, l)
				}
			}
		}
	}
}

// anchorHref returns the href of the tag z is on, if it is an <a> with one.
func anchorHref(z *html.Tokenizer) (string, bool) {
	name, hasAttr := z.TagName()
	if string(name) != "a" || !hasAttr {
		return "", false
	}
	for {
		key, val, more := z.TagAttr()
		if string(key) == "href" {
			return string(val), true
		}
		if !more {
			return "", false
		}
	}
}

// resolve resolves href against base and drops its fragment; it reports
// false for a link that does not parse, is not http(s) or is off the host.
func (c *crawler) resolve(base *url.URL, href string) (string, bool) {
	ref, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	abs := base.ResolveReference(ref)
	if (abs.Scheme != "http" && abs.Scheme != "https") || abs.Host != c.host {
		return "", false
	}
	abs.Fragment, abs.RawFragment = "", ""
	return abs.String(), true
}
