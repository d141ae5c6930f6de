package scrape

import "testing"

// mediaTypes are Content-Types of every kind: textual or not, with and
// without a charset, odd case and spacing, unparsable.
var mediaTypes = []string{
	"", "text/html; charset=utf-8", "text/html", "TEXT/HTML; Charset=ISO-8859-1", "text/plain;charset=",
	"application/xhtml+xml", "application/json; charset=utf-8", "application/javascript", "image/png",
	"application/pdf; charset=utf-8", "text/html; charset", "text/html;;", " Text/CSS ; q=1", "application/octet-stream",
	"application/x-gzip", "text/html; charset=\"utf-8\"", "bogus", "/", ";charset=utf-8", "application/ld+json",
}

// TestMediaOfAgreesWithParse: the cached answer is the parsed one, whatever
// order the types come in (hits and misses of the cache interleaved).
func TestMediaOfAgreesWithParse(t *testing.T) {
	for round := range 3 {
		for i := range mediaTypes {
			ct := mediaTypes[(i*(round+1))%len(mediaTypes)]
			for range 2 {
				if got, want := mediaOf(ct), parseMedia(ct); got != want {
					t.Fatalf("mediaOf(%q) = %+v, parsed %+v", ct, got, want)
				}
			}
		}
	}
	for ct, want := range map[string]mediaInfo{
		"text/html; charset=utf-8": {textual: true, charset: true},
		"text/html":                {textual: true},
		"image/png":                {},
		"":                         {textual: true},
		"text/html; charset":       {textual: true},
		"application/json":         {textual: true},
	} {
		if got := mediaOf(ct); got != want {
			t.Errorf("mediaOf(%q) = %+v, want %+v", ct, got, want)
		}
	}
}

// TestMediaOfDoesNotAllocate: a page's Content-Type, asked for again (by
// the header check, the extraction and the charset decision), costs no
// allocation.
func TestMediaOfDoesNotAllocate(t *testing.T) {
	const ct = "text/html; charset=utf-8"
	if n := testing.AllocsPerRun(100, func() {
		if !isTextual(ct) || !hasDeclaredCharset(ct) {
			t.Fatal("text/html with a charset")
		}
	}); n != 0 {
		t.Errorf("isTextual and hasDeclaredCharset of %q: %v allocations, want 0", ct, n)
	}
}

// TestMediaCacheBounded: a Content-Type longer than the bound is answered
// but not kept.
func TestMediaCacheBounded(t *testing.T) {
	long := "text/html; x=" + string(make([]byte, maxCachedContentType))
	mediaOf("text/plain")
	mediaOf(long)
	if e := lastMedia.Load(); e == nil || e.contentType != "text/plain" {
		t.Errorf("after a %d-byte Content-Type the cache holds %v", len(long), e)
	}
}
