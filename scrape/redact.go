package scrape

import (
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// RedactURL is s with its password masked as "xxxxx" (as url.URL.Redacted
// masks it), for messages: "http://user:xxxxx@host/". It also masks the
// password of a URL that net/url cannot parse, or parses otherwise than its
// writer meant (a "/", "?" or "#" in the password, no scheme): unless
// net/url finds a host, and no "@" but the one ending the user information
// it finds, whatever lies between "://" (or the start) and the last "@" is
// masked. A URL without user information is returned as it is.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err == nil && u.Opaque == "" && u.Host != "" {
		if _, has := u.User.Password(); has {
			return u.Redacted()
		}
		if n := strings.Count(s, "@"); n == 0 || n == 1 && u.User != nil {
			return s
		}
	}
	start, at := secretSpan(s)
	if at < 0 {
		return s
	}
	return s[:start] + "xxxxx" + s[at:]
}

// secretSpan is where the user information of s may lie, at its widest:
// from after "://" (or the start) to the last "@"; at is -1 if there is no
// "@" there.
func secretSpan(s string) (start, at int) {
	if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	}
	at = strings.LastIndex(s, "@")
	if at < start {
		return start, -1
	}
	return start, at
}

// RedactIn is msg, a message about the URL raw, with raw, as is or quoted,
// replaced by RedactURL(raw), and each quoted piece of msg that holds a
// piece of raw's user information masked (a parse error quotes the bad
// port, escape or prefix).
func RedactIn(msg, raw string) string {
	r := RedactURL(raw)
	if r == raw {
		return msg
	}
	q, rq := strconv.Quote(raw), strconv.Quote(r)
	msg = strings.ReplaceAll(msg, q[1:len(q)-1], rq[1:len(rq)-1])
	msg = strings.ReplaceAll(msg, raw, r)
	start, at := secretSpan(raw)
	if at < 0 {
		return msg
	}
	secret := raw[start:at]
	return quotedPiece.ReplaceAllStringFunc(msg, func(tok string) string {
		p := unquotePiece(tok)
		if p != "" && (strings.Contains(secret, p) || len(p) > start && strings.HasPrefix(raw, p)) {
			return `"xxxxx"`
		}
		return tok
	})
}

// redactQuotedURLs is msg with each quoted URL in it redacted
// (RedactURL): net/http quotes a Location it cannot parse.
func redactQuotedURLs(msg string) string {
	return quotedPiece.ReplaceAllStringFunc(msg, func(tok string) string {
		p := unquotePiece(tok)
		if !strings.Contains(p, "@") {
			return tok
		}
		if r := RedactURL(p); r != p {
			return strconv.Quote(r)
		}
		return tok
	})
}

// unquotePiece is the text of a quoted piece of a message.
func unquotePiece(tok string) string {
	p, err := strconv.Unquote(tok)
	if err != nil {
		p = tok[1 : len(tok)-1]
	}
	return p
}

// quotedPiece is a Go-quoted string in a message.
var quotedPiece = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// redactedError is an error whose message named a password: msg is its
// message with the password masked. It is each sentinel err is
// (errors.Is), but does not unwrap to err, whose message, or fields (a
// *url.Error's URL), would give the password away.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// redactErr is err with the password of the URL raw masked in its message
// (RedactIn) and in each quoted URL of it; err itself if its message names
// no password.
func redactErr(err error, raw string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	r := msg
	if raw != "" {
		r = RedactIn(r, raw)
	}
	r = redactQuotedURLs(r)
	if r == msg {
		return err
	}
	return &redactedError{msg: r, err: err}
}
