package scrape

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
)

// errDecodedTooLarge fails the record of a page whose body decodes
// (Content-Encoding gzip, x-gzip, deflate, stacked, or a gzip body that only
// its Content-Type or .xml.gz path names) to more than Config.MaxBody
// bytes. Such an error is also errBodyTooLarge (errors.Is).
var errDecodedTooLarge = errors.New("scrape: body over Config.MaxBody after decoding")

// decodedTooLarge is the error of one body over the limit after decoding.
type decodedTooLarge struct {
	limit   int64
	codings []string
}

func (e *decodedTooLarge) Error() string {
	return fmt.Sprintf("scrape: body over Config.MaxBody (%d bytes) after decoding %s", e.limit, strings.Join(e.codings, ", "))
}

// Is makes the error both errDecodedTooLarge and errBodyTooLarge.
func (e *decodedTooLarge) Is(target error) bool {
	return target == errDecodedTooLarge || target == errBodyTooLarge
}

// errContentEncoding fails the record of a page whose Content-Encoding the
// crawler does not decode: anything but gzip, x-gzip, deflate and identity
// (br, zstd, compress, ...; the crawler asks for gzip and deflate only), or
// more than three codings stacked.
var errContentEncoding = errors.New("scrape: Content-Encoding not decoded")

// acceptEncoding is what the crawler asks for; decodingTransport decodes it.
const acceptEncoding = "gzip, deflate"

// maxCodings bounds the codings stacked in one Content-Encoding.
const maxCodings = 3

// decodingTransport takes response decoding out of the hands of net/http
// (whose transport decodes only an exact "gzip") and colly (which gunzips
// whatever mentions gzip after its body limit, with no limit of its own):
// it asks for gzip and deflate, decodes every coding a response declares,
// or a gzip body its Content-Type or path implies, with at most maxBody
// decoded bytes and only while the request's context lives (the client's
// Timeout included), and hands on the decoded body without
// Content-Encoding or Content-Length, marked Uncompressed so that colly
// does not sniff it again.
type decodingTransport struct {
	base    http.RoundTripper // with DisableCompression: bodies arrive as sent
	maxBody int64
	wire    *atomic.Int64 // if not nil, counts the body bytes read as sent (before decoding)
}

// RoundTrip sends req with Accept-Encoding (unless it has one) and returns
// the response with its body decoding as it is read.
func (t *decodingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Accept-Encoding") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Uncompressed = true // colly: do not gunzip this body again
	if t.wire != nil {
		resp.Body = &wireCounted{ReadCloser: resp.Body, n: t.wire}
	}
	codings, err := contentCodings(resp.Header)
	switch {
	case err != nil:
		resp.Body = &failedBody{raw: resp.Body, err: err}
	case len(codings) > 0:
		t.decodeAs(req.Context(), resp, resp.Body, codings)
	case impliesGzip(resp):
		// Decoded only if it is gzip: colly would fail a body that is not.
		br := bufio.NewReader(resp.Body)
		if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
			t.decodeAs(req.Context(), resp, br, []string{"gzip"})
		} else {
			resp.Body = readCloser{br, resp.Body}
		}
	}
	return resp, nil
}

func (t *decodingTransport) decodeAs(ctx context.Context, resp *http.Response, src io.Reader, codings []string) {
	resp.Header.Del("Content-Encoding")
	resp.Header.Del("Content-Length")
	resp.ContentLength = -1
	resp.Body = &decodedBody{ctx: ctx, src: src, raw: resp.Body, codings: codings, left: t.maxBody, limit: t.maxBody}
}

// wireCounted counts the bytes read from a body as it came (Stats.BytesOnWire).
type wireCounted struct {
	io.ReadCloser
	n *atomic.Int64
}

func (w *wireCounted) Read(p []byte) (int, error) {
	n, err := w.ReadCloser.Read(p)
	w.n.Add(int64(n))
	return n, err
}

// contentCodings returns the codings of a response's Content-Encoding
// header lines in the order they were applied, identity left out, names
// normalised (x-gzip is gzip).
func contentCodings(h http.Header) ([]string, error) {
	var out []string
	for _, line := range h.Values("Content-Encoding") {
		for _, c := range strings.Split(line, ",") {
			switch c = strings.ToLower(strings.TrimSpace(c)); c {
			case "", "identity":
			case "gzip", "x-gzip":
				out = append(out, "gzip")
			case "deflate":
				out = append(out, "deflate")
			default:
				return nil, fmt.Errorf("%w: %q (the crawler sends Accept-Encoding: %s)", errContentEncoding, c, acceptEncoding)
			}
		}
	}
	if len(out) > maxCodings {
		return nil, fmt.Errorf("%w: %d codings stacked in %q, at most %d", errContentEncoding, len(out), strings.Join(h.Values("Content-Encoding"), ", "), maxCodings)
	}
	return out, nil
}

// impliesGzip reports whether colly would gunzip a body that declares no
// Content-Encoding: its Content-Type mentions gzip, or its path ends in
// .xml.gz.
func impliesGzip(resp *http.Response) bool {
	if strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "gzip") {
		return true
	}
	return resp.Request != nil && resp.Request.URL != nil && strings.HasSuffix(strings.ToLower(resp.Request.URL.Path), ".xml.gz")
}

// CloseIdleConnections closes the idle connections of the transport below.
func (t *decodingTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
