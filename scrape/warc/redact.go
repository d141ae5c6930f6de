package warc

import (
	"net/http"
	"strings"
)

// Redacted replaces a credential in a request record's header field.
const Redacted = "[redacted]"

// credentialFields are the request header fields whose values are
// credentials: RequestHead keeps their names and redacts their values.
var credentialFields = []string{"Authorization", "Proxy-Authorization", "Cookie"}

// redactCredentials returns h, or a copy of h with the values of its
// credential fields (names matched case-insensitively) redacted:
// Authorization and Proxy-Authorization keep their scheme word if it is a
// registered one ("Basic [redacted]", see redactAuth), Cookie keeps its cookie names
// ("session=[redacted]; theme=[redacted]").
func redactCredentials(h http.Header) http.Header {
	var out http.Header
	for name, vals := range h {
		field := credentialField(name)
		if field == "" {
			continue
		}
		if out == nil {
			out = h.Clone()
		}
		red := make([]string, len(vals))
		for i, v := range vals {
			if field == "Cookie" {
				red[i] = redactCookies(v)
			} else {
				red[i] = redactAuth(v)
			}
		}
		out[name] = red
	}
	if out == nil {
		return h
	}
	return out
}

// credentialField is the credential field name matches, or "".
func credentialField(name string) string {
	for _, f := range credentialFields {
		if strings.EqualFold(name, f) {
			return f
		}
	}
	return ""
}

// authSchemes are the registered HTTP authentication schemes (IANA's
// registry, RFC 9110 section 16.4), matched case-insensitively.
var authSchemes = []string{"Basic", "Bearer", "Digest", "HOBA", "Mutual", "Negotiate", "NTLM",
	"OAuth", "SCRAM-SHA-1", "SCRAM-SHA-256", "vapid", "AWS4-HMAC-SHA256"}

// redactAuth keeps the scheme word of an Authorization value if it is a
// registered scheme (authSchemes); a value whose first word is anything
// else, which may be the credential itself, is redacted whole.
func redactAuth(v string) string {
	scheme, _, found := strings.Cut(strings.TrimSpace(v), " ")
	if !found || !registeredScheme(scheme) {
		return Redacted
	}
	return scheme + " " + Redacted
}

// registeredScheme tells whether word is one of authSchemes.
func registeredScheme(word string) bool {
	for _, s := range authSchemes {
		if strings.EqualFold(word, s) {
			return true
		}
	}
	return false
}

// redactCookies keeps the names of a Cookie value's name=value pairs; a
// pair without "=" (a nameless cookie: its value alone) is redacted whole.
func redactCookies(v string) string {
	pairs := strings.Split(v, ";")
	for i, p := range pairs {
		name, _, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found {
			pairs[i] = Redacted
			continue
		}
		pairs[i] = name + "=" + Redacted
	}
	return strings.Join(pairs, "; ")
}
