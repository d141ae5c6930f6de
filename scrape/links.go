package scrape

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// scanHTML streams through an HTML page once with the tokenizer (no DOM) and
// returns its <title> text and the links of <a href>, <area href>, <frame
// src> and <iframe src>, resolved against base (or the page's <base href>),
// canonicalized, http(s) only, distinct and in page order.
func scanHTML(text string, base *url.URL) (title string, links []string) {
	z := html.NewTokenizer(strings.NewReader(text))
	seen := map[string]bool{}
	inTitle, titleDone := false, false
	var tb strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(tb.String()), " "), links
		case html.TextToken:
			if inTitle {
				tb.Write(z.Text())
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); atom.Lookup(name) == atom.Title {
				inTitle, titleDone = false, true
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Title && !titleDone {
				inTitle = true
				continue
			}
			if !hasAttr {
				continue
			}
			ref := linkAttr(z, a)
			if ref == "" {
				continue
			}
			if a == atom.Base {
				if b, err := base.Parse(ref); err == nil {
					base = b
				}
				continue
			}
			if c, ok := resolveLink(base, ref); ok && !seen[c] {
				seen[c] = true
				links = append(links, c)
			}
		}
	}
}

// linkAttr returns the link-bearing attribute of a tag, if it has one.
func linkAttr(z *html.Tokenizer, a atom.Atom) string {
	var want string
	switch a {
	case atom.A, atom.Area, atom.Base:
		want = "href"
	case atom.Frame, atom.Iframe:
		want = "src"
	default:
		return ""
	}
	for {
		k, v, more := z.TagAttr()
		if string(k) == want {
			return strings.TrimSpace(string(v))
		}
		if !more {
			return ""
		}
	}
}

// resolveLink resolves ref against base as browsers do (the WHATWG URL
// Standard: a backslash is a slash, a lone "%" is "%25", ...) and
// canonicalizes it; it reports false for other schemes (mailto:,
// javascript:, ...) and unparsable links.
func resolveLink(base *url.URL, ref string) (string, bool) {
	if base == nil {
		return "", false
	}
	if plainRef(ref) {
		if u, err := base.Parse(ref); err == nil && plainURL(u.String()) {
			c, err := canonicalPlain(u.String(), ref)
			return c, err == nil
		}
	}
	return resolveWHATWG(base, ref)
}

// resolveWHATWG is resolveLink by the WHATWG parser, for any link.
func resolveWHATWG(base *url.URL, ref string) (string, bool) {
	u, err := whatwgParser.ParseRef(base.String(), ref)
	if err != nil {
		return "", false
	}
	c, err := canonicalWHATWG(u.Href(true), ref)
	return c, err == nil
}
