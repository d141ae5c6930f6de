package main

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestCrawlCredentialControl: a percent-encoded control character in the
// user or password of a start URL or --proxy is refused as --auth refuses
// a raw one: exit 2 before any request, naming the start URL (password
// masked) or the flag and why, never the password.
func TestCrawlCredentialControl(t *testing.T) {
	bin := scaleBinary(t)
	site := &reqLog{}
	srv := httptest.NewServer(site)
	defer srv.Close()
	hp := strings.TrimPrefix(srv.URL, "http://")
	u := srv.URL + "/"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"http://a:top%0Asecret@" + hp + "/"}, `start URL "http://a:xxxxx@` + hp + `/": the password holds a control character`},
		{[]string{"http://a:top%00secret@" + hp + "/"}, `start URL "http://a:xxxxx@` + hp + `/": the password holds a control character`},
		{[]string{"http://a:top%7Fsecret@" + hp + "/"}, `start URL "http://a:xxxxx@` + hp + `/": the password holds a control character`},
		{[]string{"http://a:top%0Dsecret@" + hp + "/"}, `start URL "http://a:xxxxx@` + hp + `/": the password holds a control character`},
		{[]string{u, "http://a:top%0Asecret@" + hp + "/x"}, `start URL "http://a:xxxxx@` + hp + `/x"`},
		{[]string{"http://a%0Ab:topsecret@" + hp + "/"}, "the user name holds a control character"},
		{[]string{"http://a%3Ab:topsecret@" + hp + "/"}, "the user name holds a colon"},
		{[]string{"--proxy", "http://a:top%0Asecret@" + hp, u}, `--proxy "http://a:xxxxx@` + hp + `": the password holds a control character`},
		{[]string{"--proxy", "socks5://a%0D:topsecret@" + hp, u}, "the user name holds a control character"},
	}
	for _, c := range cases {
		code, out := runBounded(t, bin, append([]string{"crawl", "-q", "-o", os.DevNull}, c.args...)...)
		if code != 2 || !strings.Contains(out, c.want) || strings.Contains(out, "secret") {
			t.Errorf("%q: exit %d, %q; want exit 2 naming %q, not the password", c.args, code, out, c.want)
		}
	}
	if n := len(site.all()); n != 0 {
		t.Errorf("%d requests reached the server before the refusal", n)
	}
}
