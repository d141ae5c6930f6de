package scrape

import (
	"strings"
	"unicode/utf8"

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
func decodeBody(body []byte, contentType string) string {
	if hasDeclaredCharset(contentType) {
		return string(body)
	}
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" || (name == "windows-1252" && utf8.Valid(body) && !hasMetaCharset(body)) {
		return string(body)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return string(body)
	}
	return string(out)
}

// hasMetaCharset reports whether the start of an HTML body declares a
// charset in a <meta> tag, which a valid-UTF-8 check must not override.
func hasMetaCharset(body []byte) bool {
	head := body[:min(len(body), 1024)]
	return strings.Contains(strings.ToLower(string(head)), "charset")
}
