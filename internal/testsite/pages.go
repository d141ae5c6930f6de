package testsite

import (
	"strconv"
	"strings"
)

// binaryLinks are the binary files some pages link; a crawler must never
// request them.
var binaryLinks = []string{"/files/report.pdf", "/files/REPORT.PDF", "/img/photo.png?size=large", "/dl/archive.zip"}

// IsBinary reports whether path (with its query, if any) is one of the
// site's binary files: anything under /files/, /img/ or /dl/.
func IsBinary(path string) bool {
	for _, dir := range []string{"/files/", "/img/", "/dl/"} {
		if strings.HasPrefix(path, dir) {
			return true
		}
	}
	return false
}

// Disallowed reports whether robots.txt disallows path.
func Disallowed(path string) bool { return strings.HasPrefix(path, "/private/") }

// home returns "/".
func (s *Site) home(o origin) *page {
	p := htmlPage("poolscrape test site", "Home")
	p.paras = []string{"A synthetic site for poolscrape. Write to support@example.test."}
	p.add("/page/0", "/page/0", "First page")
	for k := 0; k < Authors; k++ {
		a := "/author/" + strconv.Itoa(k)
		p.links = append(p.links, link{href: a, path: a, class: "author", text: "Author " + strconv.Itoa(k)})
	}
	if s.cfg.Plain {
		return p
	}
	for _, path := range []string{"/private/", "/latin1", "/cp1252", "/busy", "/chain/3", "/trap/1", "/big"} {
		p.add(path, path, strings.TrimPrefix(path, "/"))
	}
	for _, path := range binaryLinks {
		p.add(path, path, "download")
	}
	p.links = append(p.links,
		link{href: "mailto:webmaster@example.invalid", text: "Mail"},
		link{href: "javascript:void(0)", text: "Menu"})
	if other := otherLoopback(o); other != "" {
		p.links = append(p.links, link{href: other + "/offsite", text: "Elsewhere"})
	}
	return p
}

// otherLoopback returns the origin's server under its other loopback name
// (localhost for 127.0.0.1 and the reverse), or "" when it has none.
func otherLoopback(o origin) string {
	name, port, found := strings.Cut(o.host, ":")
	if !found {
		return ""
	}
	switch name {
	case "127.0.0.1":
		return o.scheme + "://localhost:" + port
	case "localhost":
		return o.scheme + "://127.0.0.1:" + port
	}
	return ""
}

// pageN returns /page/n.
func (s *Site) pageN(n int, o origin) *page {
	ns := strconv.Itoa(n)
	p := htmlPage("Page "+ns, "Page "+ns)
	p.paras = []string{
		"Contact user" + ns + "@example.test or support@example.test, or again user" + ns + "@example.test.",
		"Price $" + ns + ".99, before the sale $" + strconv.Itoa(n+1) + ".49.",
	}
	p.skus = []string{"SKU-" + ns, "SKU-" + ns, "SKU-" + ns + "-B"}
	a := "/author/" + strconv.Itoa(n%Authors)
	p.links = append(p.links, link{href: a, path: a, class: "author", text: "Author " + strconv.Itoa(n%Authors)})
	p.add("/#top", "/", "Home")
	p.add("../page/0", "/page/0", "First page")
	for _, c := range s.children(n) {
		path := "/page/" + strconv.Itoa(c)
		p.add(path, path, "Page "+strconv.Itoa(c))
	}
	if c := s.cross(n); c >= 0 {
		path := "/page/" + strconv.Itoa(c)
		href := path + "#reviews"
		if o.host != "" {
			href = o.scheme + "://" + o.host + href
		}
		p.add(href, path, "See also page "+strconv.Itoa(c))
	}
	if !s.cfg.Plain {
		s.addSpecials(p, n)
	}
	return p
}

// addSpecials adds page n's one-off links, chosen by n mod 7.
func (s *Site) addSpecials(p *page, n int) {
	ns := strconv.Itoa(n)
	switch n % 7 {
	case 0:
		p.add("/private/"+ns, "/private/"+ns, "Members only")
	case 1:
		if kids := s.children(n); len(kids) > 0 {
			r := "/redirect/" + strconv.Itoa(kids[0])
			p.add(r, r, "Moved")
		}
	case 2:
		p.add("/missing/"+ns, "/missing/"+ns, "Gone")
	case 3:
		p.add("/flaky/"+ns, "/flaky/"+ns, "Sometimes down")
	case 4:
		for _, path := range binaryLinks {
			p.add(path, path, "download")
		}
	}
}
