package scrape

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html/charset"
)

// isTextual reports whether a Content-Type is one extraction runs on:
// text/*, HTML, XML and JSON (an empty type counts, as browsers sniff it).
func isTextual(contentType string) bool { return mediaOf(contentType).textual }

// hasDeclaredCharset reports whether the Content-Type names a charset. colly
// has then already decoded the body to UTF-8 (its fixCharset), so decoding
// again would garble it.
func hasDeclaredCharset(contentType string) bool { return mediaOf(contentType).charset }

// decodeBody returns body as UTF-8 text. A body whose header declared a
// charset arrives decoded from colly; any other is decoded by what
// golang.org/x/net/html/charset determines from a byte-order mark, a <meta>
// charset in the first 1024 bytes, or else its guess (UTF-8 is kept as is).
// Text kept as is shares body's bytes (textOf), which must not change
// afterwards.
func decodeBody(body []byte, contentType string) string {
	if hasDeclaredCharset(contentType) {
		return textOf(body)
	}
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" || (name == "windows-1252" && utf8.Valid(body) && !hasMetaCharset(body)) {
		return textOf(body)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return textOf(body)
	}
	return textOf(out)
}

// textOf is b as a string without a copy of it: the string shares b's
// bytes. A page's body is never written after its fetch (fetched.Body,
// pageData.Body), so a page's text, and the matches cut from it, need not
// copy a body of up to Config.MaxBody bytes.
func textOf(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// hasMetaCharset reports whether the start of an HTML body declares a
// charset in a <meta> tag, which a valid-UTF-8 check must not override.
func hasMetaCharset(body []byte) bool {
	head := body[:min(len(body), 1024)]
	return strings.Contains(strings.ToLower(string(head)), "charset")
}
