package testsite

import (
	"fmt"
	"net/url"
)

// PathOf returns the site's key for a URL the crawler recorded: its path,
// plus "?" and the query if it has one. It is the key of Requests, Info and
// Expected, so tests can match records against the site.
func PathOf(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("testsite: record URL %q: %w", rawURL, err)
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery, nil
	}
	return u.Path, nil
}
