package scrape

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"testing"
)

// TestValidateRefusesWhatNewRefuses: for each setting New refuses,
// Validate returns New's error, without an Output (and without calling
// Warn); a good Config without an Output passes.
func TestValidateRefusesWhatNewRefuses(t *testing.T) {
	start := []string{"http://127.0.0.1:1/"}
	for _, c := range []struct {
		name string
		cfg  Config
		is   error
	}{
		{"no start URL", Config{}, ErrConfig},
		{"bad start URL", Config{Starts: []string{"ftp://127.0.0.1/"}}, ErrBadURL},
		{"bad scope", Config{Starts: start, Scope: "planet"}, ErrConfig},
		{"bad order", Config{Starts: start, Order: "random"}, ErrConfig},
		{"bad extraction mode", Config{Starts: start, ExtractIn: "gpu"}, ErrConfig},
		{"negative MaxTime", Config{Starts: start, MaxTime: -1}, ErrConfig},
		{"negative MaxDelay", Config{Starts: start, MaxDelay: -1}, ErrConfig},
		{"NaN Rate", Config{Starts: start, Rate: math.NaN()}, ErrConfig},
		{"bad rule", Config{Starts: start, Rules: []Rule{{Name: "x", Kind: RegexRule, Pattern: "("}}}, ErrBadRule},
		{"bad header", Config{Starts: start, RequestOptions: RequestOptions{Header: http.Header{"X": {"a\nb"}}}}, ErrConfig},
		{"two User-Agents", Config{Starts: start, RequestOptions: RequestOptions{Header: http.Header{"User-Agent": {"a", "b"}}}}, ErrConfig},
		{"bad proxy", Config{Starts: start, RequestOptions: RequestOptions{Proxy: &url.URL{Scheme: "ftp", Host: "127.0.0.1:1"}}}, ErrConfig},
		{"credentials other than BasicAuth", Config{Starts: []string{"http://a:b@127.0.0.1:1/"}, RequestOptions: RequestOptions{BasicAuth: url.UserPassword("c", "d")}}, ErrConfig},
	} {
		t.Run(c.name, func(t *testing.T) {
			warned := false
			c.cfg.Warn = func(string) { warned = true }
			verr := c.cfg.Validate()
			if !errors.Is(verr, c.is) {
				t.Errorf("Validate: %v, want %v", verr, c.is)
			}
			with := c.cfg
			with.Output = &collect{}
			if _, nerr := New(with); nerr == nil || verr == nil || nerr.Error() != verr.Error() {
				t.Errorf("New: %v, Validate: %v: want the same error", nerr, verr)
			}
			if warned {
				t.Error("Validate called Warn")
			}
		})
	}
	warned := false
	good := Config{Starts: start, RequestOptions: RequestOptions{Insecure: true}, Warn: func(string) { warned = true }}
	if err := good.Validate(); err != nil {
		t.Errorf("Validate of a good Config without an Output: %v", err)
	}
	if warned {
		t.Error("Validate warned (Insecure): New warns, when it makes the crawler")
	}
}
