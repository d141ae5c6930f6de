package scrape

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// sent returns the cookies the jar sends to u as "name=value" strings,
// sorted.
func sent(t *testing.T, j *cookieJar, u string) []string {
	t.Helper()
	var out []string
	for _, c := range j.Cookies(mustURL(t, u)) {
		out = append(out, c.Name+"="+c.Value)
	}
	slices.Sort(out)
	return out
}

func TestCookieJarScope(t *testing.T) {
	j := newCookieJar(defaultJarLimits)
	for _, tc := range []struct {
		from   string
		cookie http.Cookie
		err    string // "" when kept
	}{
		{"http://www.example.com/a/b", http.Cookie{Name: "host", Value: "1"}, ""},
		{"http://www.example.com/", http.Cookie{Name: "dom", Value: "1", Domain: ".Example.com"}, ""},
		{"http://www.example.com/", http.Cookie{Name: "root", Value: "1", Path: "/"}, ""},
		{"http://www.example.com/", http.Cookie{Name: "other", Value: "1", Domain: "example.org"}, "does not domain-match"},
		{"http://foo.co.uk/", http.Cookie{Name: "ps", Value: "1", Domain: "co.uk"}, "public suffix"},
		{"http://x.github.io/", http.Cookie{Name: "ps", Value: "1", Domain: "github.io"}, "public suffix"},
		{"http://127.0.0.1/", http.Cookie{Name: "ip", Value: "1", Domain: "0.0.1"}, "IP host"},
		{"http://www.example.com/", http.Cookie{Name: "sec", Value: "1", Secure: true}, "Secure cookie from an http URL"},
		{"https://www.example.com/", http.Cookie{Name: "sec", Value: "1", Secure: true, Path: "/"}, ""},
		{"http://www.example.com/", http.Cookie{Name: "big", Value: strings.Repeat("v", 4094)}, "over 4096"},
		{"http://www.example.com/", http.Cookie{Name: "fit", Value: strings.Repeat("v", 4093), Path: "/fit"}, ""},
		{"ftp://www.example.com/", http.Cookie{Name: "ftp", Value: "1"}, "not an http(s) URL"},
	} {
		err := j.add(mustURL(t, tc.from), &tc.cookie)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, errCookieRejected)) {
			t.Errorf("%s %s: err %v, want %q", tc.from, tc.cookie.Name, err, tc.err)
		}
	}
	for u, want := range map[string][]string{
		"http://www.example.com/a/b": {"dom=1", "host=1", "root=1"}, // host's default path is /a
		"http://www.example.com/a":   {"dom=1", "host=1", "root=1"},
		"http://www.example.com/ab":  {"dom=1", "root=1"},
		"http://www.example.com/":    {"dom=1", "root=1"},
		"http://sub.example.com/":    {"dom=1"},
		"http://example.com/":        {"dom=1"},
		"https://www.example.com/":   {"dom=1", "root=1", "sec=1"},
		"http://www.example.org/":    nil,
		"http://foo.co.uk/":          nil,
	} {
		if got := sent(t, j, u); !slices.Equal(got, want) {
			t.Errorf("%s: sent %q, want %q", u, got, want)
		}
	}
}

func TestCookieJarExpiry(t *testing.T) {
	j := newCookieJar(defaultJarLimits)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	j.now = func() time.Time { return now }
	u := mustURL(t, "http://example.com/")
	j.SetCookies(u, []*http.Cookie{
		{Name: "a", Value: "1", MaxAge: 60},
		{Name: "b", Value: "1", Expires: now.Add(time.Hour)},
		{Name: "c", Value: "1"},
		{Name: "old", Value: "1", Expires: now.Add(-time.Hour)},
	})
	if got := sent(t, j, "http://example.com/"); !slices.Equal(got, []string{"a=1", "b=1", "c=1"}) {
		t.Errorf("sent %q", got)
	}
	now = now.Add(2 * time.Minute)
	j.SetCookies(u, []*http.Cookie{{Name: "c", Value: "gone", MaxAge: -1}, {Name: "b", Value: "2"}})
	if got := sent(t, j, "http://example.com/"); !slices.Equal(got, []string{"b=2"}) {
		t.Errorf("after expiry and deletion: sent %q", got)
	}
	if j.total != 1 {
		t.Errorf("jar holds %d cookies, want 1", j.total)
	}
}

// TestCookieJarBounds: a domain keeps its perDomain most recently used
// cookies, subdomains sharing the registrable domain's count; the jar
// keeps total; a request carries at most headerBytes.
func TestCookieJarBounds(t *testing.T) {
	j := newCookieJar(jarLimits{cookieBytes: 100, perDomain: 5, total: 12, headerBytes: 30})
	for i := 0; i < 8; i++ {
		host := fmt.Sprintf("http://h%d.evil.example/", i)
		j.SetCookies(mustURL(t, host), []*http.Cookie{{Name: fmt.Sprintf("c%d", i), Value: "v", Domain: "evil.example"}})
	}
	if got := sent(t, j, "http://evil.example/"); !slices.Equal(got, []string{"c3=v", "c4=v", "c5=v", "c6=v", "c7=v"}) {
		t.Errorf("per domain: sent %q, want the newest 5", got)
	}
	for i := 0; i < 20; i++ {
		j.SetCookies(mustURL(t, fmt.Sprintf("http://d%d.example/", i)), []*http.Cookie{{Name: "x", Value: "y"}})
	}
	n := 0
	for _, m := range j.byKey {
		n += len(m)
	}
	if j.total != 12 || n != 12 || len(j.byKey) > 12 {
		t.Errorf("total: jar counts %d, holds %d cookies in %d domains, want 12", j.total, n, len(j.byKey))
	}
	if got := sent(t, j, "http://d19.example/"); !slices.Equal(got, []string{"x=y"}) {
		t.Errorf("the newest domain lost its cookie: %q", got)
	}
	// Header cap: 30 bytes hold "aaaaaaaaaa=1; bbbbbbbbbb=2" (26), not a third.
	u := mustURL(t, "http://cap.example/")
	for _, name := range []string{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"} {
		j.SetCookies(u, []*http.Cookie{{Name: name, Value: "1"}})
	}
	if got := j.Cookies(u); len(got) != 2 || got[0].Name != "aaaaaaaaaa" || got[1].Name != "bbbbbbbbbb" {
		t.Errorf("header cap: sent %v, want the two oldest", got)
	}
}

// TestCookieJarOrder: longer paths first, then older; replacing a cookie
// keeps its place.
func TestCookieJarOrder(t *testing.T) {
	j := newCookieJar(defaultJarLimits)
	u := mustURL(t, "http://example.com/a/b/c")
	j.SetCookies(u, []*http.Cookie{
		{Name: "root1", Value: "1", Path: "/"},
		{Name: "deep", Value: "1", Path: "/a/b"},
		{Name: "root2", Value: "1", Path: "/"},
		{Name: "mid", Value: "1", Path: "/a"},
	})
	j.SetCookies(u, []*http.Cookie{{Name: "root1", Value: "2", Path: "/"}})
	var got []string
	for _, c := range j.Cookies(u) {
		got = append(got, c.Name+"="+c.Value)
	}
	if want := []string{"deep=1", "mid=1", "root1=2", "root2=1"}; !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}
