package scrape

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpguts"
)

// RequestOptions are what every request of a crawl carries, and how it
// goes out. Config embeds them.
type RequestOptions struct {
	// Header is sent on every request (pages, robots.txt, sitemaps), to
	// every host, over the crawler's own headers (a Host sets the
	// request's host). A User-Agent here replaces Config.UserAgent, for
	// robots.txt too: the agent sent is the one its groups are matched
	// with; it must be one non-empty value. Names and values must be valid
	// (httpguts); New fails with ErrConfig otherwise.
	Header http.Header
	// Cookies are sent, besides those the servers set, on every request
	// to a host of the start URLs' scope (Config.Scope, judged against the
	// start URLs given, not hosts that joined it by a redirect). They are
	// kept apart from the bounded jar, so that no server can evict them;
	// a server cookie of the same name is not sent.
	Cookies []*http.Cookie
	// BasicAuth, if not nil, is sent as HTTP basic authentication to the
	// hosts the Cookies go to, and never after a redirect to another host.
	// Credentials in a start URL (http://user:pw@host/) mean the same:
	// New takes them out of the URL, so that they appear in no record.
	// CheckCredentials must accept them (no control character, no colon
	// in the user name); New fails with ErrConfig otherwise.
	BasicAuth *url.Userinfo
	// Proxy, if not nil, is the proxy of every request (http, https or
	// socks5 URL), instead of the one of the environment (HTTP_PROXY,
	// HTTPS_PROXY and NO_PROXY, honoured when Proxy is nil). CheckProxy
	// must accept it; New fails with ErrConfig otherwise.
	Proxy *url.URL
	// Insecure skips the verification of TLS certificates; New says so
	// through Config.Warn.
	Insecure bool
	// Sitemaps adds to the frontier, at depth 1, the in-scope URLs of
	// each crawled host's sitemaps: those its robots.txt names (unless
	// Config.IgnoreRobots) and /sitemap.xml, sitemap indexes followed,
	// within the protocol's bounds (see sitemap.go).
	Sitemaps bool
}

// ErrBadHeader is the error of a Config.Header name or value that cannot be
// sent.
var ErrBadHeader = errors.New("scrape: bad request header")

// CheckHeader reports whether name and value can be sent as a header line.
func CheckHeader(name, value string) error {
	if !httpguts.ValidHeaderFieldName(name) {
		return fmt.Errorf("%w: name %q is not a valid header name", ErrBadHeader, name)
	}
	if !httpguts.ValidHeaderFieldValue(value) {
		return fmt.Errorf("%w: the value of %s has a control character (CR, LF, NUL, ...)", ErrBadHeader, name)
	}
	return nil
}

// requestDefaults takes the start URLs' credentials, checks the options
// and warns of Insecure.
func (cfg *Config) requestDefaults() error {
	if err := cfg.takeStartCredentials(); err != nil {
		return err
	}
	if err := cfg.RequestOptions.check(); err != nil {
		return err
	}
	if err := cfg.takeHeaderUserAgent(); err != nil {
		return err
	}
	if cfg.Insecure && cfg.Warn != nil {
		cfg.Warn("TLS certificates are not verified: any server can pose as an https host of the crawl")
	}
	return nil
}

// check validates the options (errors wrap ErrConfig).
func (o *RequestOptions) check() error {
	for name, vals := range o.Header {
		for _, v := range vals {
			if err := CheckHeader(name, v); err != nil {
				return fmt.Errorf("%w: Header: %w", ErrConfig, err)
			}
		}
	}
	for _, c := range o.Cookies {
		if err := c.Valid(); err != nil {
			return fmt.Errorf("%w: Cookies: %w", ErrConfig, err)
		}
	}
	if err := CheckCredentials(o.BasicAuth); err != nil {
		return fmt.Errorf("%w: BasicAuth: %w", ErrConfig, err)
	}
	if o.Proxy != nil {
		if err := CheckProxy(o.Proxy); err != nil {
			return fmt.Errorf("%w: Proxy: %w", ErrConfig, err)
		}
	}
	return nil
}

// takeHeaderUserAgent makes a User-Agent of Header the crawl's UserAgent:
// the one sent is the one robots.txt groups are matched with. More than one
// value, or an empty one, is an ErrConfig.
func (cfg *Config) takeHeaderUserAgent() error {
	var uas []string
	for name, vals := range cfg.Header {
		if http.CanonicalHeaderKey(name) == "User-Agent" {
			uas = append(uas, vals...)
		}
	}
	switch {
	case len(uas) == 0:
		return nil
	case len(uas) > 1:
		return fmt.Errorf("%w: Header: %d User-Agent values %q, want one", ErrConfig, len(uas), uas)
	case strings.TrimSpace(uas[0]) == "":
		return fmt.Errorf("%w: Header: an empty User-Agent", ErrConfig)
	}
	cfg.UserAgent = uas[0]
	return nil
}

// CheckProxy reports whether u can be a RequestOptions.Proxy: an http,
// https, socks5 or socks5h URL with a host, a port (if any) from 1 to
// 65535, no query or fragment (a "?" or "#" of a password must be
// percent-encoded), and credentials, if any, that CheckCredentials accepts.
// Its errors name no password.
func CheckProxy(u *url.URL) error {
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return fmt.Errorf("scheme %q of %s is not http, https, socks5 or socks5h", u.Scheme, u.Redacted())
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%s has no host", u.Redacted())
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("port %q of %s is not from 1 to 65535", p, u.Scheme+"://"+u.Host)
		}
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return errors.New("the proxy URL has a query or fragment (percent-encode a ? or # of a password: %3F, %23)")
	}
	return CheckCredentials(u.User)
}

// tuneTransport applies Proxy and Insecure to the crawl's transport.
func (o *RequestOptions) tuneTransport(t *http.Transport) {
	if o.Proxy != nil {
		t.Proxy = http.ProxyURL(o.Proxy)
	}
	if o.Insecure {
		t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for
	}
}
