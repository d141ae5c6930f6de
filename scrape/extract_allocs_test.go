package scrape

import (
	"regexp"
	"testing"
	"unsafe"

	"github.com/poolscrape/poolscrape/internal/testsite"
)

// allocsPage is a page of the synthetic site, as it serves it.
const allocsPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Page 2</title></head>
<body>
<h1>Page 2</h1>
<p>Contact user2@example.test or support@example.test, or again user2@example.test.</p>
<p>Price $2.99, before the sale $3.49.</p>
<p>Item <span class="sku">SKU-2</span></p>
<p>Item <span class="sku">SKU-2</span></p>
<p>Item <span class="sku">SKU-2-B</span></p>
<ul>
<li><a href="/author/2" class="author">Author 2</a></li>
<li><a href="/#top">Home</a></li>
<li><a href="../page/0">First page</a></li>
<li><a href="/page/7#reviews">See also page 7</a></li>
<li><a href="mailto:webmaster@example.invalid">Mail</a></li>
</ul>
</body></html>
`

// maxExtractAllocs is the ceiling of TestExtractAllocations: the page took
// 345 allocations before its links were resolved by string operations (and
// its mailto: link refused without a parse), and before its Content-Type,
// tag names and rule sets stopped costing maps and copies; it takes 70.
const maxExtractAllocs = 90

// TestExtractAllocations: extracting the site's regex rules, title and
// links from one of its pages stays under maxExtractAllocs allocations.
func TestExtractAllocations(t *testing.T) {
	var rules []Rule
	for _, r := range testsite.Rules {
		if r.Kind == "regex" {
			rules = append(rules, Rule{Name: r.Name, Kind: RegexRule, Pattern: r.Expr})
		}
	}
	ex, err := newExtractor(rules)
	if err != nil {
		t.Fatal(err)
	}
	page := pageData{URL: "http://127.0.0.1:8080/page/2", ContentType: "text/html; charset=utf-8", Body: []byte(allocsPage)}
	got := ex.Extract(page)
	want := []string{"http://127.0.0.1:8080/author/2", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/page/0", "http://127.0.0.1:8080/page/7"}
	if got.Title != "Page 2" || len(got.Links) != len(want) {
		t.Fatalf("title %q, links %q; want %q", got.Title, got.Links, want)
	}
	for i := range want {
		if got.Links[i] != want[i] {
			t.Fatalf("links %q, want %q", got.Links, want)
		}
	}
	for _, r := range rules {
		if re := regexp.MustCompile(r.Pattern); re.MatchString(allocsPage) && len(got.Matches[r.Name]) == 0 {
			t.Fatalf("rule %s: no matches", r.Name)
		}
	}
	if n := testing.AllocsPerRun(50, func() { ex.Extract(page) }); n > maxExtractAllocs {
		t.Errorf("Extract: %v allocations, want at most %d", n, maxExtractAllocs)
	}
}

// TestDecodeBodyDoesNotCopy: a UTF-8 body, declared or found so, becomes
// the page's text without a copy (a body may be Config.MaxBody bytes); one
// whose header declares its charset costs no allocation at all (3 before:
// the copy and the Content-Type's parse).
func TestDecodeBodyDoesNotCopy(t *testing.T) {
	body := []byte(allocsPage)
	for _, ct := range []string{"text/html; charset=utf-8", "text/html"} {
		if text := decodeBody(body, ct); text != allocsPage || unsafe.StringData(text) != &body[0] {
			t.Errorf("decodeBody(%s) copied the body", ct)
		}
	}
	if n := testing.AllocsPerRun(20, func() { _ = decodeBody(body, "text/html; charset=utf-8") }); n != 0 {
		t.Errorf("decodeBody: %v allocations, want 0", n)
	}
}
