package scrape

import (
	"mime"
	"strings"
	"sync/atomic"
)

// mediaInfo is what the crawler needs to know of a Content-Type: whether
// extraction runs on it (isTextual) and whether it names a charset
// (hasDeclaredCharset).
type mediaInfo struct {
	textual, charset bool
}

// mediaEntry is one Content-Type and its mediaInfo.
type mediaEntry struct {
	contentType string
	info        mediaInfo
}

// lastMedia caches the last Content-Type parsed: a crawl sees the same few
// again and again (every page of a site is "text/html; charset=utf-8"), and
// mime.ParseMediaType costs a map and several strings each time. One entry,
// of a bounded length, so the cache cannot grow.
var lastMedia atomic.Pointer[mediaEntry]

// maxCachedContentType bounds the Content-Type kept in lastMedia.
const maxCachedContentType = 256

// mediaOf returns the mediaInfo of a Content-Type, from lastMedia when it is
// the last one parsed.
func mediaOf(contentType string) mediaInfo {
	if e := lastMedia.Load(); e != nil && e.contentType == contentType {
		return e.info
	}
	info := parseMedia(contentType)
	if len(contentType) <= maxCachedContentType {
		lastMedia.Store(&mediaEntry{contentType: strings.Clone(contentType), info: info})
	}
	return info
}

// parseMedia computes a mediaInfo with mime.ParseMediaType: textual is
// text/*, HTML, XML, JSON or JavaScript (an empty or unparsable type by
// what precedes its first ";"); charset is a parsable type with a
// non-empty charset parameter.
func parseMedia(contentType string) mediaInfo {
	mt, params, err := mime.ParseMediaType(contentType)
	info := mediaInfo{charset: err == nil && params["charset"] != ""}
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	switch {
	case mt == "", strings.HasPrefix(mt, "text/"):
		info.textual = true
	case strings.Contains(mt, "html"), strings.Contains(mt, "xml"), strings.Contains(mt, "json"), strings.Contains(mt, "javascript"):
		info.textual = true
	}
	return info
}
