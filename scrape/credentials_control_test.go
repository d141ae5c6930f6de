package scrape

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// TestValidateCredentialControl: a control character in the credentials,
// percent-encoded in a start URL or a Proxy, or raw in BasicAuth, is an
// ErrConfig that masks the password (the user and password sent as basic
// auth must be text, as CheckCredentials says); a colon in a user name,
// which basic auth cannot carry, too.
func TestValidateCredentialControl(t *testing.T) {
	proxy := func(raw string) *url.URL {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		return u
	}
	cases := []struct {
		name, want string
		cfg        Config
	}{
		{"start LF", "http://a:xxxxx@127.0.0.1:1/", Config{Starts: []string{"http://a:top%0Asecret@127.0.0.1:1/"}}},
		{"start NUL", "http://a:xxxxx@127.0.0.1:1/", Config{Starts: []string{"http://a:top%00secret@127.0.0.1:1/"}}},
		{"start DEL", "http://a:xxxxx@127.0.0.1:1/", Config{Starts: []string{"http://a:top%7Fsecret@127.0.0.1:1/"}}},
		{"start CR", "http://a:xxxxx@127.0.0.1:1/", Config{Starts: []string{"http://a:top%0Dsecret@127.0.0.1:1/"}}},
		{"start C1", "http://a:xxxxx@127.0.0.1:1/", Config{Starts: []string{"http://a:top%C2%85secret@127.0.0.1:1/"}}},
		{"start second", "http://a:xxxxx@127.0.0.1:1/x", Config{Starts: []string{"http://127.0.0.1:1/", "http://a:top%0Asecret@127.0.0.1:1/x"}}},
		{"start user LF", "user name", Config{Starts: []string{"http://a%0Ab:topsecret@127.0.0.1:1/"}}},
		{"start user colon", "colon", Config{Starts: []string{"http://a%3Ab:topsecret@127.0.0.1:1/"}}},
		{"BasicAuth LF", "BasicAuth", Config{Starts: []string{"http://127.0.0.1:1/"}, RequestOptions: RequestOptions{BasicAuth: url.UserPassword("a", "top\nsecret")}}},
		{"BasicAuth user NUL", "BasicAuth", Config{Starts: []string{"http://127.0.0.1:1/"}, RequestOptions: RequestOptions{BasicAuth: url.UserPassword("a\x00", "topsecret")}}},
		{"Proxy LF", "Proxy", Config{Starts: []string{"http://127.0.0.1:1/"}, RequestOptions: RequestOptions{Proxy: proxy("http://a:top%0Asecret@127.0.0.1:8080")}}},
		{"Proxy user CR", "Proxy", Config{Starts: []string{"http://127.0.0.1:1/"}, RequestOptions: RequestOptions{Proxy: proxy("socks5://a%0D:topsecret@127.0.0.1:1080")}}},
	}
	for _, c := range cases {
		c.cfg.Output = &collect{}
		err := c.cfg.Validate()
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: Validate: %v; want ErrConfig naming %q, not the password", c.name, err, c.want)
		}
		if _, err := New(c.cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: New: %v; want ErrConfig", c.name, err)
		}
	}
	ok := Config{Output: &collect{}, Starts: []string{"http://a%20b:p%C3%A4w@127.0.0.1:1/"}}
	if err := ok.Validate(); err != nil {
		t.Errorf("a space in the user, a non-ASCII letter in the password: %v", err)
	}
}
