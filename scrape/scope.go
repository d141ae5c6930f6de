package scrape

import (
	"fmt"
	"net"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

// Scope says which links a crawl follows, relative to its start URLs.
type Scope string

// The scopes of Config.Scope.
const (
	ScopeHost   Scope = "host"   // the host (and port) of a start URL
	ScopeDomain Scope = "domain" // the registrable domain of a start URL (eTLD+1)
	ScopeAny    Scope = "any"    // every http and https link
)

// ParseScope reads a Scope from its name, for a program that takes the
// scope as text (a flag, a config file).
func ParseScope(s string) (Scope, error) {
	switch Scope(s) {
	case ScopeHost, ScopeDomain, ScopeAny:
		return Scope(s), nil
	}
	return "", fmt.Errorf("scrape: unknown scope %q (want host, domain or any)", s)
}

// registrableDomain is the eTLD+1 of host by the public suffix list; for an
// IP address, localhost or a name the list cannot split, it is the host
// itself, so that domain scope equals host scope there.
func registrableDomain(host string) string {
	host = strings.ToLower(host)
	if net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// linkFilter decides which discovered links are followed: scope against the
// start URLs, then Config.Deny (any match rejects: deny wins), then
// Config.Allow (when given, one must match), then the binary-extension check. Safe for
// concurrent use; only Widen changes it.
type linkFilter struct {
	scope Scope
	allow []*regexp.Regexp
	deny  []*regexp.Regexp

	mu      sync.RWMutex
	hosts   map[string]bool // host:port of the start URLs
	domains map[string]bool // registrable domains of the start URLs
}

// newLinkFilter makes the filter for start URLs (canonical), a scope and the
// Allow and Deny patterns.
func newLinkFilter(scope Scope, starts []string, allow, deny []*regexp.Regexp) *linkFilter {
	f := &linkFilter{scope: scope, hosts: map[string]bool{}, domains: map[string]bool{}, allow: allow, deny: deny}
	for _, s := range starts {
		if u, err := url.Parse(s); err == nil {
			f.add(u)
		}
	}
	return f
}

// add puts u's host and registrable domain in scope and reports whether
// either was new. The caller holds f.mu or owns f alone.
func (f *linkFilter) add(u *url.URL) bool {
	d := registrableDomain(u.Hostname())
	added := !f.hosts[u.Host] || !f.domains[d]
	f.hosts[u.Host] = true
	f.domains[d] = true
	return added
}

// Widen puts the host (and registrable domain) of the canonical URL u in
// scope, as if u were a start URL: the crawl calls it for the target of a
// start URL's redirect. It reports whether the scope grew; it does nothing
// for a URL that Allow or Deny rejects.
func (f *linkFilter) Widen(u string) bool {
	pu, err := url.Parse(u)
	if err != nil || pu.Host == "" || !f.allowed(u) {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.add(pu)
}

// verdict is why a link is or is not followed.
type verdict int

// The verdicts of linkFilter.Check.
const (
	linkFollowed verdict = iota // in scope and allowed
	linkOffScope                // outside the scope, denied by Deny or not matched by Allow
	linkBinary                  // a well-known binary file extension
)

// Check says whether the canonical URL u is followed.
func (f *linkFilter) Check(u string) verdict {
	host, name, p, ok := "", "", "", false
	if host, p, ok = splitPlainURL(u); ok {
		name = hostname(host)
	} else {
		pu, err := url.Parse(u)
		if err != nil {
			return linkOffScope
		}
		host, name, p = pu.Host, pu.Hostname(), pu.Path
	}
	if !f.inScopeHost(host, name) || !f.allowed(u) {
		return linkOffScope
	}
	if isBinaryPath(p) {
		return linkBinary
	}
	return linkFollowed
}

func (f *linkFilter) inScope(u *url.URL) bool { return f.inScopeHost(u.Host, u.Hostname()) }

// inScopeHost is inScope of a URL whose Host is host and Hostname name.
func (f *linkFilter) inScopeHost(host, name string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	switch f.scope {
	case ScopeAny:
		return true
	case ScopeDomain:
		return f.domains[registrableDomain(name)]
	default:
		return f.hosts[host]
	}
}

func (f *linkFilter) allowed(u string) bool {
	for _, re := range f.deny {
		if re.MatchString(u) {
			return false
		}
	}
	if len(f.allow) == 0 {
		return true
	}
	for _, re := range f.allow {
		if re.MatchString(u) {
			return true
		}
	}
	return false
}

// binaryExts are file extensions whose links are never fetched: documents,
// images, archives, media, fonts, executables and disk images.
var binaryExts = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`.pdf .doc .docx .xls .xlsx .ppt .pptx .odt .ods
		.png .jpg .jpeg .gif .bmp .webp .svg .ico .tif .tiff .avif .heic
		.zip .gz .tgz .tar .bz2 .xz .7z .rar .zst
		.mp4 .mp3 .m4a .m4v .avi .mov .mkv .webm .wav .ogg .flac .wmv .flv
		.woff .woff2 .ttf .otf .eot
		.exe .msi .dmg .pkg .deb .rpm .apk .bin .iso .img .jar .dll .so`) {
		binaryExts[e] = true
	}
}

// isBinaryPath reports whether a URL path ends in a well-known binary
// extension (case-insensitive).
func isBinaryPath(p string) bool {
	return binaryExts[strings.ToLower(path.Ext(p))]
}
