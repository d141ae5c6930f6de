package scrape

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// ErrBadCredentials is the error of a user name or password that cannot be
// sent as basic authentication.
var ErrBadCredentials = errors.New("scrape: bad credentials")

// CheckCredentials reports whether u, percent-decoded (as SplitCredentials
// and net/url decode the user information of a URL), can be sent as basic
// authentication: no control character (C0, DEL or C1: "%0A", "%00",
// "%7F", ...) in the user name or the password, and no colon in the user
// name (the receiver splits at the first one). A nil u is fine. Its errors
// name no password, nor any of its characters.
func CheckCredentials(u *url.Userinfo) error {
	if u == nil {
		return nil
	}
	if hasControl(u.Username()) {
		return fmt.Errorf("%w: the user name holds a control character (CR, LF, NUL, DEL, ...)", ErrBadCredentials)
	}
	if strings.Contains(u.Username(), ":") {
		return fmt.Errorf("%w: the user name holds a colon (basic auth splits the user from the password at the first one)", ErrBadCredentials)
	}
	if pw, _ := u.Password(); hasControl(pw) {
		return fmt.Errorf("%w: the password holds a control character (CR, LF, NUL, DEL, ...)", ErrBadCredentials)
	}
	return nil
}

// hasControl reports whether s holds a control character (bytes that are
// not UTF-8 are not: a password may be in another charset).
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}
