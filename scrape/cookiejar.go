package scrape

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"
)

// errCookieRejected is why a cookie was not kept; SetCookies drops such
// cookies silently, as browsers do.
var errCookieRejected = errors.New("scrape: cookie rejected")

// jarLimits bound what a cookieJar holds and sends.
type jarLimits struct {
	cookieBytes int // name plus value of one cookie
	perDomain   int // cookies per registrable domain (eTLD+1; the host for an IP)
	total       int // cookies in the whole jar, so also domains
	headerBytes int // the Cookie header of one request
}

// defaultJarLimits are browser-like: RFC 6265 §6.1 asks a user agent for at
// least 4096 bytes a cookie, 50 cookies a domain and 3000 in all, and
// servers refuse Cookie headers much past 8-16 KiB.
var defaultJarLimits = jarLimits{cookieBytes: 4096, perDomain: 50, total: 3000, headerBytes: 16 << 10}

const (
	maxCookieAttr = 1024                 // bytes of a Path or Domain attribute (RFC 6265bis)
	maxCookieAge  = 400 * 24 * time.Hour // longest lifetime kept (RFC 6265bis)
)

// cookieJar is the crawl's http.CookieJar: RFC 6265 storage and matching
// (host-only and domain cookies, paths, Secure, Max-Age and Expires),
// refusing cookies for a public suffix (golang.org/x/net/publicsuffix),
// and bounded as browsers are by jarLimits: an oversize cookie is dropped,
// a domain or the jar over its count loses its expired cookies and then
// its least recently used, and a request carries only the cookies that
// fit in headerBytes (longest path first, then oldest). So neither one
// server nor many can grow a request or the memory past a bound. Unlike
// net/http/cookiejar, which colly installs by default, it has limits. It
// is safe for concurrent use.
type cookieJar struct {
	lim   jarLimits
	now   func() time.Time
	mu    sync.Mutex
	byKey map[string]map[cookieID]*jarCookie // by jarKey of the domain
	total int
	clock uint64 // orders creation and use
}

type cookieID struct{ domain, path, name string }

type jarCookie struct {
	name, value   string
	quoted        bool
	domain, path  string
	hostOnly      bool
	secure        bool
	expires       time.Time // zero for a session cookie
	created, used uint64
}

func newCookieJar(lim jarLimits) *cookieJar {
	return &cookieJar{lim: lim, now: time.Now, byKey: map[string]map[cookieID]*jarCookie{}}
}

// SetCookies keeps the cookies of a response from u that pass the rules
// and the limits.
func (j *cookieJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	for _, c := range cookies {
		_ = j.add(u, c)
	}
}

// add keeps one cookie as if u had set it, or deletes it (Max-Age < 0, or
// an Expires past), and says why when it is rejected. It serves SetCookies
// and cookies given by the user.
func (j *cookieJar) add(u *url.URL, c *http.Cookie) error {
	host, ok := jarHost(u)
	if !ok {
		return fmt.Errorf("%w: %s is not an http(s) URL with a host", errCookieRejected, u.Redacted())
	}
	jc, err := j.newCookie(u, host, c)
	if err != nil {
		return fmt.Errorf("%w: %q from %s: %w", errCookieRejected, c.Name, host, err)
	}
	key := jarKey(jc.domain)
	id := cookieID{jc.domain, jc.path, jc.name}
	now := j.now()
	j.mu.Lock()
	defer j.mu.Unlock()
	m := j.byKey[key]
	old, had := m[id]
	if had {
		delete(m, id)
		j.total--
	}
	if !jc.expires.IsZero() && !jc.expires.After(now) {
		j.dropEmpty(key)
		return nil // a deletion
	}
	if m == nil {
		m = map[cookieID]*jarCookie{}
		j.byKey[key] = m
	}
	j.clock++
	jc.created, jc.used = j.clock, j.clock
	if had {
		jc.created = old.created
	}
	m[id] = jc
	j.total++
	j.evict(now, key)
	return nil
}

// newCookie checks c as set by u (host is u's) and fills in its scope.
func (j *cookieJar) newCookie(u *url.URL, host string, c *http.Cookie) (*jarCookie, error) {
	switch {
	case c.Name == "":
		return nil, errors.New("it has no name")
	case len(c.Name)+len(c.Value) > j.lim.cookieBytes:
		return nil, fmt.Errorf("its name and value are %d bytes, over %d", len(c.Name)+len(c.Value), j.lim.cookieBytes)
	case len(c.Path) > maxCookieAttr || len(c.Domain) > maxCookieAttr:
		return nil, fmt.Errorf("its Path or Domain is over %d bytes", maxCookieAttr)
	case c.Secure && u.Scheme != "https":
		return nil, errors.New("a Secure cookie from an http URL")
	}
	jc := &jarCookie{name: c.Name, value: c.Value, quoted: c.Quoted, secure: c.Secure, path: c.Path}
	if !strings.HasPrefix(jc.path, "/") {
		jc.path = defaultCookiePath(u.Path)
	}
	var err error
	if jc.domain, jc.hostOnly, err = cookieDomain(host, c.Domain); err != nil {
		return nil, err
	}
	now := j.now()
	switch {
	case c.MaxAge < 0:
		jc.expires = now.Add(-time.Second)
	case c.MaxAge > 0:
		jc.expires = now.Add(min(time.Duration(c.MaxAge)*time.Second, maxCookieAge))
	case !c.Expires.IsZero():
		jc.expires = c.Expires
		if c.Expires.After(now.Add(maxCookieAge)) {
			jc.expires = now.Add(maxCookieAge)
		}
	}
	return jc, nil
}

// cookieDomain returns the domain a cookie from host with that Domain
// attribute is for, and whether it is host-only (RFC 6265 §5.3 steps 4-6).
func cookieDomain(host, attr string) (string, bool, error) {
	d := strings.ToLower(strings.TrimPrefix(attr, "."))
	switch {
	case d == "":
		return host, true, nil
	case net.ParseIP(host) != nil:
		if d != host {
			return "", false, fmt.Errorf("the Domain %q for the IP host %s", attr, host)
		}
		return host, true, nil
	case strings.HasSuffix(d, "."):
		return "", false, fmt.Errorf("the Domain %q ends in a dot", attr)
	}
	if ps, _ := publicsuffix.PublicSuffix(d); ps == d {
		if d == host {
			return host, true, nil
		}
		return "", false, fmt.Errorf("the Domain %q is a public suffix", attr)
	}
	if host != d && !strings.HasSuffix(host, "."+d) {
		return "", false, fmt.Errorf("the Domain %q does not domain-match %s", attr, host)
	}
	return d, false, nil
}

// defaultCookiePath is RFC 6265 §5.1.4's default-path of a request path.
func defaultCookiePath(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// Cookies returns the cookies to send to u, within limits.headerBytes.
func (j *cookieJar) Cookies(u *url.URL) []*http.Cookie {
	host, ok := jarHost(u)
	if !ok {
		return nil
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	key := jarKey(host)
	now := j.now()
	j.mu.Lock()
	defer j.mu.Unlock()
	var sel []*jarCookie
	for id, c := range j.byKey[key] {
		switch {
		case c.expired(now):
			j.remove(key, id)
		case c.secure && u.Scheme != "https", !c.domainMatch(host), !pathMatch(path, c.path):
		default:
			sel = append(sel, c)
		}
	}
	slices.SortFunc(sel, func(a, b *jarCookie) int {
		return cmp.Or(cmp.Compare(len(b.path), len(a.path)), cmp.Compare(a.created, b.created))
	})
	return j.fitHeader(sel)
}

// fitHeader keeps, in order, the cookies that fit in one Cookie header of
// limits.headerBytes, and marks them used.
func (j *cookieJar) fitHeader(sel []*jarCookie) []*http.Cookie {
	var out []*http.Cookie
	size := 0
	for _, c := range sel {
		n := len(c.name) + 1 + len(c.value)
		if c.quoted || strings.ContainsAny(c.value, " ,") {
			n += 2 // net/http quotes such values
		}
		if size > 0 {
			n += 2 // "; "
		}
		if size+n > j.lim.headerBytes {
			continue
		}
		size += n
		j.clock++
		c.used = j.clock
		out = append(out, &http.Cookie{Name: c.name, Value: c.value, Quoted: c.quoted})
	}
	return out
}

func (c *jarCookie) expired(now time.Time) bool {
	return !c.expires.IsZero() && !c.expires.After(now)
}

func (c *jarCookie) domainMatch(host string) bool {
	if c.hostOnly {
		return host == c.domain
	}
	return host == c.domain || strings.HasSuffix(host, "."+c.domain)
}

// pathMatch is RFC 6265 §5.1.4's path-match.
func pathMatch(reqPath, cookiePath string) bool {
	if !strings.HasPrefix(reqPath, cookiePath) {
		return false
	}
	return len(reqPath) == len(cookiePath) || strings.HasSuffix(cookiePath, "/") || reqPath[len(cookiePath)] == '/'
}

// evict brings the domain key, then the jar, back within their counts:
// expired cookies go first, then the least recently used.
func (j *cookieJar) evict(now time.Time, key string) {
	for len(j.byKey[key]) > j.lim.perDomain {
		j.evictOne(now, []string{key})
	}
	if j.total <= j.lim.total {
		return
	}
	keys := make([]string, 0, len(j.byKey))
	for k := range j.byKey {
		keys = append(keys, k)
	}
	for j.total > j.lim.total {
		j.evictOne(now, keys)
	}
}

// evictOne removes an expired cookie of the keys' domains, or else their
// least recently used one.
func (j *cookieJar) evictOne(now time.Time, keys []string) {
	for _, k := range keys {
		for id, c := range j.byKey[k] {
			if c.expired(now) {
				j.remove(k, id)
				return
			}
		}
	}
	var victim cookieID
	var vkey string
	var lru uint64
	for _, k := range keys {
		for id, c := range j.byKey[k] {
			if vkey == "" || c.used < lru {
				victim, vkey, lru = id, k, c.used
			}
		}
	}
	if vkey != "" {
		j.remove(vkey, victim)
	}
}

func (j *cookieJar) remove(key string, id cookieID) {
	delete(j.byKey[key], id)
	j.total--
	j.dropEmpty(key)
}

func (j *cookieJar) dropEmpty(key string) {
	if m, ok := j.byKey[key]; ok && len(m) == 0 {
		delete(j.byKey, key)
	}
}

// jarHost returns u's host as the jar compares it: lower case, without a
// port or a final dot; only http and https URLs have cookies.
func jarHost(u *url.URL) (string, bool) {
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return host, host != ""
}

// jarKey groups the cookies a host may see: its registrable domain (eTLD+1),
// or the host itself for an IP address, a dotless name or a public suffix.
func jarKey(host string) string {
	if net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return host
	}
	if k, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return k
	}
	return host
}
