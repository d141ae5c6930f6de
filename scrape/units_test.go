package scrape

import (
	"slices"
	"testing"
	"time"
)

func TestCanonicalize(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://Example.COM":               "http://example.com/",
		"http://example.com:80/a#frag":     "http://example.com/a",
		"https://example.com:443/a?b=1#x":  "https://example.com/a?b=1",
		"http://example.com:8080/a/../b/.": "http://example.com:8080/b/",
		"http://[::1]:80/":                 "http://[::1]/",
		"http://h/x/%2e%2e/private/s":      "http://h/private/s",
		"http://h/%2E/a/.%2e/b":            "http://h/b",
		"http://h/%7Eu/%7eu?q=%7E&r=%2f":   "http://h/~u/~u?q=~&r=%2F",
		"http://h/%41%2F":                  "http://h/A%2F",
		"http://Bücher.Example./ä":         "http://xn--bcher-kva.example/%C3%A4",
		"http://example.com.:8080/":        "http://example.com:8080/",
		"http://h/100%":                    "http://h/100%25",
		"http://h\\a\\..\\b":               "http://h/b",
	} {
		got, err := Canonicalize(in)
		if err != nil || got != want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"ftp://x/", "/relative", "http://", "http://a b/", ""} {
		if _, err := Canonicalize(bad); err == nil {
			t.Errorf("Canonicalize(%q) accepted", bad)
		}
	}
}

func TestFilter(t *testing.T) {
	f := newLinkFilter(ScopeDomain, []string{"http://www.example.co.uk/"}, nil, nil)
	for u, want := range map[string]verdict{
		"http://shop.example.co.uk/x":     linkFollowed,
		"http://other.co.uk/":             linkOffScope,
		"http://www.example.co.uk/a.PDF":  linkBinary,
		"http://www.example.co.uk/i.png?": linkBinary,
	} {
		if got := f.Check(u); got != want {
			t.Errorf("domain scope %s: %v, want %v", u, got, want)
		}
	}
	h := newLinkFilter(ScopeHost, []string{"http://127.0.0.1:8080/"}, nil, nil)
	if h.Check("http://127.0.0.1:9090/") != linkOffScope || h.Check("http://localhost:8080/") != linkOffScope {
		t.Error("host scope let another port or name in")
	}
	if registrableDomain("127.0.0.1") != "127.0.0.1" || registrableDomain("localhost") != "localhost" {
		t.Error("domain of an IP or localhost is not the host itself")
	}
}

func TestExtractRules(t *testing.T) {
	rules := []Rule{}
	for _, spec := range []struct {
		k RuleKind
		s string
	}{{RegexRule, `price=\$(\d+)`}, {RegexRule, `word=\bba[a-z]\b`}, {CSSRule, "h=h1"}, {CSSRule, "href=a.x@href"}} {
		r, err := ParseRule(spec.k, spec.s)
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r)
	}
	ex, err := newExtractor(rules)
	if err != nil {
		t.Fatal(err)
	}
	body := `<html><head><title> T  one </title><base href="http://b.test/d/"></head><body>
	<h1>Big   head</h1><p>$5 $7 $5 bar baz bar</p><a class="x" href="p?q=1#f">p</a><a href="mailto:a@b">m</a>
	<a class="x" href="/p?q=1">again</a></body></html>`
	got := ex.Extract(pageData{URL: "http://a.test/", ContentType: "text/html", Body: []byte(body)})
	want := map[string][]string{"price": {"5", "7"}, "word": {"bar", "baz"}, "h": {"Big head"}, "href": {"p?q=1#f", "/p?q=1"}}
	for k, v := range want {
		if !slices.Equal(got.Matches[k], v) {
			t.Errorf("matches[%s] = %q, want %q", k, got.Matches[k], v)
		}
	}
	if got.Title != "T one" {
		t.Errorf("title %q", got.Title)
	}
	if !slices.Equal(got.Links, []string{"http://b.test/d/p?q=1", "http://b.test/p?q=1"}) {
		t.Errorf("links %q", got.Links)
	}
	if e := ex.Extract(pageData{URL: "http://a.test/", ContentType: "image/png", Body: []byte(body)}); e.Title != "" || len(e.Links) != 0 {
		t.Error("extracted from a non-textual page")
	}
}

func TestParseRuleErrors(t *testing.T) {
	for _, c := range []struct {
		k RuleKind
		s string
	}{{RegexRule, "noequals"}, {RegexRule, "=x"}, {RegexRule, "a=("}, {CSSRule, "a=[["}, {CSSRule, "a=div@"}} {
		if _, err := ParseRule(c.k, c.s); err == nil {
			t.Errorf("ParseRule(%s, %q) accepted", c.k, c.s)
		}
	}
}

func TestDecodeBody(t *testing.T) {
	latin1 := []byte("<title>caf\xe9</title>")
	if got := decodeBody(latin1, "text/html"); got != "<title>café</title>" {
		t.Errorf("undeclared latin-1 decoded to %q", got)
	}
	meta := []byte(`<meta charset="windows-1252"><p>M` + "\xfc" + `ller`)
	if got := decodeBody(meta, "text/html"); got != `<meta charset="windows-1252"><p>Müller` {
		t.Errorf("meta charset decoded to %q", got)
	}
	if got := decodeBody([]byte("naïve"), "text/html"); got != "naïve" {
		t.Errorf("utf-8 body changed to %q", got)
	}
}

func TestRetryPolicy(t *testing.T) {
	p := defaultRetryPolicy(2)
	if !p.Retryable(503, false, 0) || !p.Retryable(0, true, 1) || p.Retryable(503, false, 2) || p.Retryable(404, false, 0) {
		t.Error("wrong retryable verdicts")
	}
	for attempt := 0; attempt < 40; attempt++ {
		d := p.Backoff(attempt, 0, false)
		full := min(p.Base<<min(attempt, 30), p.MaxBackoff)
		if attempt > 20 {
			full = p.MaxBackoff
		}
		if d < full/2 || d > full {
			t.Errorf("backoff(%d) = %v, want in [%v, %v]", attempt, d, full/2, full)
		}
	}
	if d := p.Backoff(0, 3*time.Second, true); d != 3*time.Second {
		t.Errorf("Retry-After 3s gave %v", d)
	}
	if d := p.Backoff(0, time.Hour, true); d != p.MaxRetryAfter {
		t.Errorf("Retry-After 1h not capped: %v", d)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if d, ok := parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now); !ok || d != 10*time.Second {
		t.Errorf("HTTP-date Retry-After: %v %v", d, ok)
	}
	if _, ok := parseRetryAfter("soon", now); ok {
		t.Error("malformed Retry-After accepted")
	}
}

func TestAutoThrottle(t *testing.T) {
	a := defaultAutoThrottle(2)
	d := a.Next(time.Second, Outcome{Latency: 200 * time.Millisecond, Status: 200, Fetched: true}, 0)
	if d != (time.Second+100*time.Millisecond)/2 {
		t.Errorf("fast 200: %v", d)
	}
	if d := a.Next(2*time.Second, Outcome{Latency: 0, Status: 500, Fetched: true}, 0); d != 2*time.Second {
		t.Errorf("error lowered the delay to %v", d)
	}
	if d := a.Next(2*time.Second, Outcome{Status: 429, Fetched: true}, 0); d != 4*time.Second {
		t.Errorf("429 gave %v, want doubled", d)
	}
	if d := a.Next(50*time.Second, Outcome{Status: 503, Fetched: true}, 0); d != a.MaxDelay {
		t.Errorf("503 above max: %v", d)
	}
	if d := a.Next(time.Second, Outcome{Latency: 0, Status: 200, Fetched: true}, 700*time.Millisecond); d != 700*time.Millisecond {
		t.Errorf("delay below --delay: %v", d)
	}
}

func TestMemoryGate(t *testing.T) {
	g := newMemoryGate(2, 100*time.Millisecond, nil)
	now := time.Now()
	if ok, _, _ := g.TryAcquire(bg, "h", now); !ok {
		t.Fatal("first acquire refused")
	}
	if ok, wait, _ := g.TryAcquire(bg, "h", now.Add(10*time.Millisecond)); ok || wait != 90*time.Millisecond {
		t.Fatalf("acquire inside the delay: ok=%v wait=%v", ok, wait)
	}
	if ok, _, _ := g.TryAcquire(bg, "other", now); !ok {
		t.Fatal("another host waited behind h")
	}
	g.TryAcquire(bg, "h", now.Add(100*time.Millisecond))
	if ok, wait, _ := g.TryAcquire(bg, "h", now.Add(time.Second)); ok || wait != 0 {
		t.Fatalf("third slot given with --per-host 2 (wait %v)", wait)
	}
	g.Release(bg, "h", Outcome{Fetched: true})
	if ok, _, _ := g.TryAcquire(bg, "h", now.Add(time.Second)); !ok {
		t.Fatal("released slot not reusable")
	}
	g.SetCrawlDelay(bg, "h", 2*time.Second)
	if g.Delay("h") != 2*time.Second {
		t.Fatalf("crawl-delay not honoured: %v", g.Delay("h"))
	}
}
