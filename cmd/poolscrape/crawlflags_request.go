package main

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/spf13/pflag"
)

// requestFlags are the crawl flags that shape each request: headers,
// cookies, credentials, proxy, TLS, sitemaps.
type requestFlags struct {
	headers, cookies []string
	auth, proxy      string
	insecure         bool
	sitemaps         bool
}

func (r *requestFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVarP(&r.headers, "header", "H", nil, "header `'NAME: VALUE'` sent on every request, robots.txt and sitemaps included (repeatable), e.g. -H 'Accept-Language: de'; -H 'User-Agent: X' is also the agent robots.txt is obeyed for, and must agree with --user-agent")
	fl.StringArrayVar(&r.cookies, "cookie", nil, "cookie `NAME=VALUE` sent to the start URLs' hosts besides the servers' own (repeatable), e.g. --cookie 'session=abc123'")
	fl.StringVar(&r.auth, "auth", "", "HTTP basic auth `USER:PASSWORD` for the start URLs' hosts only (split at the first colon), e.g. --auth 'ann:s3cret'; http://USER:PASSWORD@host/ in a start URL is the same")
	fl.StringVar(&r.proxy, "proxy", "", "proxy `URL` (http, https or socks5) instead of HTTP_PROXY/HTTPS_PROXY/NO_PROXY, e.g. --proxy socks5://127.0.0.1:1080")
	fl.BoolVar(&r.insecure, "insecure", false, "do not verify TLS certificates (warns), e.g. for a staging host with a self-signed one")
	fl.BoolVar(&r.sitemaps, "sitemaps", false, "also crawl the URLs of each host's sitemaps (robots.txt Sitemap lines and /sitemap.xml), e.g. --sitemaps -d 1")
}

// apply checks the flags and puts them, and the start URLs' credentials,
// into cfg; the start URLs lose their credentials (so that no record,
// message or crawl identity holds them).
func (r *requestFlags) apply(cfg *scrape.Config) error {
	var err error
	if cfg.Header, err = parseHeaders(r.headers); err != nil {
		return err
	}
	if cfg.Cookies, err = parseCookies(r.cookies); err != nil {
		return err
	}
	if r.auth != "" {
		user, pw, ok := strings.Cut(r.auth, ":")
		if !ok || user == "" || checkText("--auth", r.auth) != nil {
			return usageErrorf("--auth %q: want USER:PASSWORD, without control characters", redactAuth(r.auth))
		}
		cfg.BasicAuth = url.UserPassword(user, pw)
	}
	if err := takeCredentials(cfg); err != nil {
		return err
	}
	if r.proxy != "" {
		pu, err := url.Parse(r.proxy)
		if err == nil {
			err = scrape.CheckProxy(pu)
		}
		if err != nil {
			return usageErrorf("--proxy %q: %s", scrape.RedactURL(r.proxy), scrape.RedactIn(credentialsReason(err), r.proxy))
		}
		cfg.Proxy = pu
	}
	cfg.Insecure, cfg.Sitemaps = r.insecure, r.sitemaps
	return nil
}

// headerUserAgent makes a -H 'User-Agent: X' the crawl's user agent, the
// one robots.txt is obeyed for as well as the one sent (what a user who
// sets it expects; the default would otherwise be matched against
// robots.txt while X is sent). It must be given once, non-empty, and
// agree with --user-agent if that is given (flagUA is not the default).
func headerUserAgent(cfg *scrape.Config, flagUA string) error {
	uas := cfg.Header.Values("User-Agent")
	switch {
	case len(uas) == 0:
		return nil
	case len(uas) > 1:
		return usageErrorf("--header 'User-Agent: %s': User-Agent given %d times, want once", uas[1], len(uas))
	case strings.TrimSpace(uas[0]) == "":
		return usageErrorf("--header 'User-Agent:': must not be empty")
	case flagUA != scrape.DefaultUserAgent(version) && flagUA != uas[0]:
		return usageErrorf("--header 'User-Agent: %s' and --user-agent %q differ: give one of them", uas[0], flagUA)
	}
	cfg.UserAgent = uas[0]
	return nil
}

func parseHeaders(specs []string) (http.Header, error) {
	h := http.Header{}
	for _, s := range specs {
		name, value, ok := strings.Cut(s, ":")
		value = strings.Trim(value, " \t")
		if !ok {
			return nil, usageErrorf("--header %q: want 'NAME: VALUE'", s)
		}
		if err := scrape.CheckHeader(name, value); err != nil {
			return nil, usageErrorf("--header %q: %v", s, err)
		}
		h.Add(name, value)
	}
	return h, nil
}

func parseCookies(specs []string) ([]*http.Cookie, error) {
	var out []*http.Cookie
	for _, s := range specs {
		cs, err := http.ParseCookie(s)
		if err == nil {
			for _, c := range cs {
				if err = c.Valid(); err != nil {
					break
				}
			}
		}
		if err != nil {
			return nil, usageErrorf("--cookie %q: %v (want NAME=VALUE)", s, err)
		}
		out = append(out, cs...)
	}
	return out, nil
}

// takeCredentials moves the user information of the start URLs into
// cfg.BasicAuth, read as the URL itself is (scrape.SplitCredentials: the
// parse that makes the canonical URL, so that the credentials go to the
// host crawled); credentials that differ from --auth or from another start
// URL's, or that --auth could not give (scrape.CheckCredentials: a control
// character, a colon in the user name), are a usage error.
func takeCredentials(cfg *scrape.Config) error {
	for i, s := range cfg.Starts {
		stripped, user := scrape.SplitCredentials(s)
		if user == nil {
			continue
		}
		if err := scrape.CheckCredentials(user); err != nil {
			return usageErrorf("start URL %q: %s", scrape.RedactURL(s), credentialsReason(err))
		}
		if cfg.BasicAuth != nil && !scrape.SameCredentials(cfg.BasicAuth, user) {
			return usageErrorf("start URL %q: its credentials differ from --auth or another start URL's", stripped)
		}
		cfg.BasicAuth = user
		cfg.Starts[i] = stripped
	}
	return nil
}

// credentialsReason is the message of err without the prefix of
// scrape.ErrBadCredentials, which the flag or start URL named replaces.
func credentialsReason(err error) string {
	return strings.TrimPrefix(err.Error(), scrape.ErrBadCredentials.Error()+": ")
}

// redactAuth shows the user of an --auth value, not the password.
func redactAuth(s string) string {
	if user, _, ok := strings.Cut(s, ":"); ok {
		return user + ":xxxxx"
	}
	return "xxxxx"
}
