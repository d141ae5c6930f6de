package scrape

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/internal/hostile"
)

func deepRules(t *testing.T) []Rule {
	t.Helper()
	var rules []Rule
	for _, spec := range []string{"heading=h1", "after=p.after", "last=span.last", "levels=span.level", "href=a@href"} {
		r, err := ParseRule(CSSRule, spec)
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r)
	}
	return rules
}

// TestCrawlDeepNesting: a page of 600 nested spans, unclosed or closed,
// still yields its CSS matches before, inside and after the deep part, and
// its links, with no error; the links after it are crawled.
func TestCrawlDeepNesting(t *testing.T) {
	for _, closed := range []bool{false, true} {
		mux := http.NewServeMux()
		mux.Handle("/{$}", hostile.DeepPage{Depth: 600, Closed: closed})
		mux.HandleFunc("/after", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<h1>After page</h1>")) })
		srv := httptest.NewServer(mux)
		out, _ := crawl(t, srv, Config{Depth: 1, IgnoreRobots: true, Rules: deepRules(t)})
		srv.Close()
		got := out.byPath(t)
		rec := got["/"]
		if rec.Error != "" {
			t.Errorf("closed=%v: error %q", closed, rec.Error)
		}
		want := map[string]string{"heading": "Top heading", "after": "After the deep part", "last": "level 600"}
		for name, w := range want {
			if !slices.Contains(rec.Matches[name], w) {
				t.Errorf("closed=%v: %s matches %q, want %q among them", closed, name, rec.Matches[name], w)
			}
		}
		if n := len(rec.Matches["levels"]); n != 600 {
			t.Errorf("closed=%v: %d span.level matches, want 600", closed, n)
		}
		if !slices.Contains(rec.Matches["href"], "/after") || !slices.Contains(rec.Matches["href"], "/deep-link") {
			t.Errorf("closed=%v: a@href %q", closed, rec.Matches["href"])
		}
		if rec.Title != "Deep page" {
			t.Errorf("closed=%v: title %q", closed, rec.Title)
		}
		for _, p := range []string{"/after", "/deep-link"} {
			if !slices.ContainsFunc(rec.Links, func(l string) bool { return strings.HasSuffix(l, p) }) {
				t.Errorf("closed=%v: links %q lack %s", closed, rec.Links, p)
			}
		}
		if got["/after"].Matches["heading"] == nil {
			t.Errorf("closed=%v: /after not crawled: %+v", closed, got["/after"])
		}
	}
}

// TestExtractTooDeepSaysSo: a page that cannot be parsed even flattened
// (here: no flattening allowed) yields an error, in extracted.Err and in
// the record, never a silent empty.
func TestExtractTooDeepSaysSo(t *testing.T) {
	saved := flattenDepths
	flattenDepths = nil
	defer func() { flattenDepths = saved }()
	rec := httptest.NewRecorder()
	hostile.DeepPage{Depth: 600}.ServeHTTP(rec, nil)
	ex, err := newExtractor(deepRules(t))
	if err != nil {
		t.Fatal(err)
	}
	got := ex.Extract(pageData{URL: "http://127.0.0.1/", ContentType: "text/html", Body: rec.Body.Bytes()})
	if !strings.Contains(got.Err, errTooDeep.Error()) {
		t.Errorf("Err %q, want %q", got.Err, errTooDeep)
	}
	if len(got.Links) != 2 {
		t.Errorf("links %q: the tokenizer finds them whatever the depth", got.Links)
	}
	srv := httptest.NewServer(hostile.DeepPage{Depth: 600})
	defer srv.Close()
	out, _ := crawl(t, srv, Config{Depth: 0, IgnoreRobots: true, Rules: deepRules(t)})
	if r := out.byPath(t)["/"]; !strings.Contains(r.Error, errTooDeep.Error()) || r.Status != 200 {
		t.Errorf("record %+v, want status 200 and the error %q", r, errTooDeep)
	}
}

// TestFlattenDeep: past the depth, elements become siblings there; the
// text and what follows stay; shallow pages are unchanged.
func TestFlattenDeep(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<a><b><c>x</c></b></a>", "<a><b><c>x</c></b></a>"},
		{"<a><b><c><d>x", "<a><b><c></c><d>x"},
		{"<a><b><c><d>x</d></c></b>y</a>", "<a><b><c></c><d>x</d></b>y</a>"},
		{"<a><b><c>1<d>2</d>3</c>4</b>5</a>", "<a><b><c>1</c><d>2</d>34</b>5</a>"},
		{"<a><b><br><img src=x><c>x", "<a><b><br><img src=x><c>x"},
		{"<p>1<p>2<p>3<p>4", "<p>1</p><p>2</p><p>3</p><p>4"},
	} {
		if got := flattenDeep(tc.in, 2); got != tc.want {
			t.Errorf("flattenDeep(%q, 2) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
