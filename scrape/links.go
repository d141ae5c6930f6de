package scrape

import (
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// scanHTML streams through an HTML page once with the tokenizer (no DOM) and
// returns its <title> text and the links of <a href>, <area href>, <frame
// src> and <iframe src>, resolved against base (or the page's <base href>),
// canonicalized, http(s) only, distinct and in page order.
func scanHTML(text, base string) (title string, links []string) {
	z := html.NewTokenizer(strings.NewReader(text))
	lr := newLinkResolver(base)
	var seen map[string]bool // once links outgrow a linear search
	inTitle, titleDone := false, false
	var tb strings.Builder
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			return strings.Join(strings.Fields(tb.String()), " "), links
		case html.TextToken:
			if inTitle {
				tb.Write(z.Text())
			}
		case html.EndTagToken:
			if tagAtom(z.Raw(), tt) == atom.Title {
				inTitle, titleDone = false, true
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			a := tagAtom(z.Raw(), tt)
			if a == atom.Title && !titleDone {
				inTitle = true
				continue
			}
			ref := linkAttr(z, a)
			if ref == "" {
				continue
			}
			if a == atom.Base {
				lr.rebase(ref)
				continue
			}
			if c, ok := lr.resolve(ref); ok && !hasLink(links, &seen, c) {
				links = append(links, c)
			}
		}
	}
}

// hasLink reports whether c is in links, and when not, notes that it will
// be: a search of the slice while it is short (maxLinear), a set (made in
// *seen) once it is not.
func hasLink(links []string, seen *map[string]bool, c string) bool {
	if len(links) < maxLinear {
		return slices.Contains(links, c)
	}
	if *seen == nil {
		*seen = make(map[string]bool, 2*len(links))
		for _, l := range links {
			(*seen)[l] = true
		}
	}
	if (*seen)[c] {
		return true
	}
	(*seen)[c] = true
	return false
}

// tagAtom returns the atom of the lower-cased name of the tag token (of
// type tt) whose raw text is raw, as the tokenizer's TagName would give
// it, without TagName's copy of the name; 0 for a name no atom this file
// asks for can have (one longer than 8 bytes).
func tagAtom(raw []byte, tt html.TokenType) atom.Atom {
	i := len("<")
	if tt == html.EndTagToken {
		i = len("</")
	}
	var name [8]byte
	n := 0
	for ; i < len(raw); i++ {
		c := raw[i]
		if c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '/' || c == '>' {
			break
		}
		if n == len(name) {
			return 0
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		name[n] = c
		n++
	}
	return atom.Lookup(name[:n])
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

// linkResolver resolves the links of one page against its base URL: by
// the base's fastBase when it takes the link, else by resolveLink against
// the base parsed, which it parses only then.
type linkResolver struct {
	raw    string   // the base URL, as fetched
	base   *url.URL // raw parsed, or a <base href> resolved; nil until needed
	parsed bool     // base is set (nil if raw does not parse)
	fast   fastBase
}

func newLinkResolver(base string) linkResolver {
	return linkResolver{raw: base, fast: newFastBase(base)}
}

// resolve resolves a link as resolveLink does.
func (r *linkResolver) resolve(ref string) (string, bool) {
	if c, ok := r.fast.resolve(ref); ok {
		return c, true
	}
	if otherScheme(ref) {
		return "", false
	}
	return resolveLink(r.parsedBase(), ref)
}

// rebase makes a <base href> the base of the links after it, resolved as
// the WHATWG parser resolves it (net/url would drop a slash of "..//x/");
// it turns the fast path off. A <base href> that does not resolve leaves
// the base as it was.
func (r *linkResolver) rebase(ref string) {
	if base := r.parsedBase(); base != nil {
		if w, err := whatwgParser.ParseRef(base.String(), ref); err == nil {
			if b, err := url.Parse(w.Href(true)); err == nil {
				r.base = b
			}
		}
	}
	r.fast = fastBase{}
}

func (r *linkResolver) parsedBase() *url.URL {
	if !r.parsed {
		r.base, _ = url.Parse(r.raw)
		r.parsed = true
	}
	return r.base
}

// resolveLink resolves ref against base as browsers do (the WHATWG URL
// Standard: a backslash is a slash, a lone "%" is "%25", ...) and
// canonicalizes it; it reports false for other schemes (mailto:,
// javascript:, ...) and unparsable links.
func resolveLink(base *url.URL, ref string) (string, bool) {
	if base == nil {
		return "", false
	}
	if plainRef(ref) && plainBase(base) {
		if u, err := base.Parse(ref); err == nil && plainURL(u.String()) {
			c, err := canonicalPlain(u.String(), ref)
			return c, err == nil
		}
	}
	return resolveWHATWG(base, ref)
}

// plainBase reports whether net/url resolves a plain link (plainRef)
// against base as the WHATWG parser does: unless base's path has an empty
// segment ("//": net/url's resolution drops a slash of a path that comes
// to start with "//", as "..//x" does, where the WHATWG parser keeps it),
// or may have a dot segment, plain or percent-encoded ("/." or "%2e": the
// WHATWG parser resolves them in the base before the link, net/url after
// merging the two), or base ends in an empty query ("?", which net/url
// drops when the link has no path and no query of its own, and the WHATWG
// parser keeps).
func plainBase(base *url.URL) bool {
	p := base.EscapedPath()
	return !strings.Contains(p, "//") && !strings.Contains(p, "/.") && !strings.Contains(p, "%2e") && !strings.Contains(p, "%2E") &&
		!(base.ForceQuery && base.RawQuery == "")
}

// resolveWHATWG is resolveLink by the WHATWG parser, for any link.
func resolveWHATWG(base *url.URL, ref string) (string, bool) {
	u, err := whatwgParser.ParseRef(base.String(), ref)
	if err != nil || checkIPv4(base.String(), ref, u.Hostname(), ref) != nil {
		return "", false
	}
	c, err := canonicalWHATWG(u.Href(true), ref)
	return c, err == nil
}
