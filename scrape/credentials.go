package scrape

import (
	"fmt"
	"net/url"
	"strings"
)

// SplitCredentials takes the user information off the URL raw, read by the
// parser of Canonicalize (the WHATWG URL Standard, as browsers and the
// fetcher read URLs), so that the credentials are those of the very host
// that is crawled: it returns raw without them, and the user and password,
// percent-decoded (a "%" that starts no escape stays as it is). A URL
// without credentials (an empty user and password included), or one the
// parser refuses (Canonicalize says why), is returned as it is, with nil.
func SplitCredentials(raw string) (string, *url.Userinfo) {
	if !strings.Contains(raw, "@") {
		return raw, nil
	}
	w, err := whatwgParser.Parse(raw)
	if err != nil || w.Username() == "" && w.Password() == "" {
		return raw, nil
	}
	user, pw := percentDecode(w.Username()), percentDecode(w.Password())
	w.SetUsername("")
	w.SetPassword("")
	if pw == "" {
		return w.Href(false), url.User(user)
	}
	return w.Href(false), url.UserPassword(user, pw)
}

// SameCredentials reports whether a and b are the same user and password
// (a user without a password has the empty one, as basic auth sends it).
func SameCredentials(a, b *url.Userinfo) bool {
	if a == nil || b == nil {
		return a == b
	}
	pa, _ := a.Password()
	pb, _ := b.Password()
	return a.Username() == b.Username() && pa == pb
}

// percentDecode is the WHATWG URL Standard's percent-decode: each "%" and
// two hex digits is the byte they spell; anything else is kept.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// takeStartCredentials moves the user information of the start URLs
// (see SplitCredentials) into BasicAuth. Start URLs with different
// credentials, credentials other than a BasicAuth already set, or ones
// CheckCredentials refuses, are an ErrConfig (naming no password).
func (cfg *Config) takeStartCredentials() error {
	cfg.Starts = append([]string(nil), cfg.Starts...) // not the caller's array
	for i, s := range cfg.Starts {
		stripped, user := SplitCredentials(s)
		if user == nil {
			continue
		}
		if err := CheckCredentials(user); err != nil {
			return fmt.Errorf("%w: start URL %s: %w", ErrConfig, RedactURL(s), err)
		}
		if cfg.BasicAuth != nil && !SameCredentials(cfg.BasicAuth, user) {
			return fmt.Errorf("%w: start URL %s has other credentials than BasicAuth or another start URL", ErrConfig, stripped)
		}
		cfg.BasicAuth = user
		cfg.Starts[i] = stripped
	}
	return nil
}
