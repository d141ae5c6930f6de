package testsite

import (
	"net/http"
	"path"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// oneOff returns the pages that Config.Plain leaves out: dir is the first
// path segment, rest what follows its slash.
func (s *Site) oneOff(dir, rest string, o origin) (*page, bool) {
	n, numbered := number(rest)
	switch {
	case dir == "private":
		return s.private(rest), true
	case dir == "redirect" && numbered && n < s.cfg.Pages:
		return redirect(http.StatusFound, "/page/"+rest), true
	case dir == "chain" && numbered && n >= 1 && n <= maxChain:
		if n == 1 {
			return redirect(http.StatusMovedPermanently, "/landing"), true
		}
		return redirect(http.StatusMovedPermanently, "/chain/"+strconv.Itoa(n-1)), true
	case dir == "missing" && numbered:
		return missing(), true
	case dir == "flaky" && numbered:
		p := backHome("Flaky "+rest, "Recovered after a 503.")
		p.failFirst, p.retryAfter = http.StatusServiceUnavailable, "0"
		return p, true
	case dir == "trap" && numbered && n >= 1:
		return trap(n), true
	case dir == "files" || dir == "img" || dir == "dl":
		return binary(rest)
	case rest == "" && !strings.Contains(dir, "/"):
		return s.single(dir, o)
	}
	return nil, false
}

// single returns the one-off pages with no number: /busy, /latin1, ...
func (s *Site) single(name string, o origin) (*page, bool) {
	switch name {
	case "busy":
		p := backHome("Busy", "Answered after a 429.")
		p.failFirst, p.retryAfter = http.StatusTooManyRequests, "1"
		return p, true
	case "landing":
		return backHome("Landing", "The end of the redirect chain."), true
	case "latin1":
		p := backHome("Café Müller", "Crème brûlée à la carte for $3.50, ask chef@example.test.")
		p.contentType, p.enc = "text/html; charset=iso-8859-1", charmap.ISO8859_1
		return p, true
	case "cp1252":
		p := backHome("Œuvre naïve – 5 €", "“Quoted” prices: 5 € or $5.25.")
		p.contentType, p.metaCharset, p.enc = "text/html", "windows-1252", charmap.Windows1252
		return p, true
	case "big":
		p := htmlPage("Big", "Big")
		p.padTo = s.cfg.BigSize
		return p, true
	case "offsite":
		return htmlPage("Offsite", "Offsite"), true
	}
	return nil, false
}

// private returns /private/ and /private/N: fine pages that robots.txt
// forbids.
func (s *Site) private(rest string) *page {
	p := htmlPage("Private "+rest, "Private")
	p.paras = []string{"Members only: secret@example.test."}
	return p
}

// backHome returns a page with one paragraph and a link to "/".
func backHome(title, para string) *page {
	p := htmlPage(title, title)
	p.paras = []string{para}
	p.add("/", "/", "Home")
	return p
}

// redirect returns a redirect to target.
func redirect(status int, target string) *page {
	return &page{status: status, location: target, contentType: htmlUTF8, title: "Moved", heading: "Moved"}
}

// missing returns the 404 page.
func missing() *page {
	p := htmlPage("Not found", "Not found")
	p.status = http.StatusNotFound
	return p
}

// trap returns /trap/n, linking /trap/n+1 without end.
func trap(n int) *page {
	ns := strconv.Itoa(n)
	p := htmlPage("Calendar "+ns, "Day "+ns)
	next := "/trap/" + strconv.Itoa(n+1)
	p.add(next, next, "Next day")
	p.add("/", "/", "Home")
	return p
}

// binary returns a file under /files/, /img/ or /dl/.
func binary(name string) (*page, bool) {
	types := map[string]string{".pdf": "application/pdf", ".png": "image/png", ".zip": "application/zip"}
	ctype, ok := types[strings.ToLower(path.Ext(name))]
	if !ok || name == "" {
		return nil, false
	}
	return &page{status: http.StatusOK, contentType: ctype, raw: []byte("\x00binary " + name + "\xff\xfe")}, true
}
