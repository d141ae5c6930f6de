package warc

import (
	"bytes"
	"net/http"
	"time"
)

// Values of Exchange.Truncated, as WARC-Truncated names them.
const (
	TruncatedLength      = "length"      // the body was cut at the bound the crawler keeps
	TruncatedDisconnect  = "disconnect"  // reading the body failed before its end
	TruncatedUnspecified = "unspecified" // the crawler stopped reading the body before its end
)

// Exchange is one HTTP request and the response to it, as sent and
// received.
type Exchange struct {
	Date      time.Time // when the request was sent
	TargetURI string    // the request's absolute URL
	IP        string    // the server's IP address; "" when unknown
	// Request is the request line and header fields, ending in an empty
	// line (WireRequestHead or RequestHead builds it).
	Request []byte
	// ResponseHead is the status line and header fields, ending in an
	// empty line (WireResponseHead or ResponseHead builds it).
	ResponseHead []byte
	// Body is the response body as received: content codings kept,
	// transfer coding removed; only its first bytes when Truncated.
	Body      []byte
	Truncated string // "" when Body is whole, else a Truncated* value
	// Profile, when not "", makes the response record a revisit record
	// with this WARC-Profile, WARC-Refers-To-Target-URI the TargetURI:
	// ProfileServerNotModified (a 304 to a conditional request) or
	// ProfileIdenticalPayloadDigest (Body is what an earlier capture
	// archived: the record keeps its digest and the head only).
	Profile string
	// RefersTo and RefersToDate name the earlier capture a revisit record
	// revisits, in WARC-Refers-To (its response record's WARC-Record-ID)
	// and WARC-Refers-To-Date (its WARC-Date); "" and the zero time when
	// unknown: the field is then left out.
	RefersTo     string
	RefersToDate time.Time
	// ID is the WARC-Record-ID of the response (or revisit) record:
	// WriteExchange sets a fresh one when it is "".
	ID string
	// PayloadDigest is the record's WARC-Payload-Digest, PayloadDigest of
	// Body (a server-not-modified revisit has none): WriteExchange sets it
	// when it is "".
	PayloadDigest string
}

// ProfileIdenticalPayloadDigest is the WARC-Profile of a revisit record
// whose payload is identical to an earlier capture's.
const ProfileIdenticalPayloadDigest = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"

// ProfileServerNotModified is the WARC-Profile of a revisit record for a
// 304 Not Modified answer to a conditional request.
const ProfileServerNotModified = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"

// RequestHead returns the request line and header fields that net/http
// sends for req over HTTP/1.1: its header fields sorted by name, with Host
// first and the User-Agent net/http adds when req has none; the values of
// its credential fields (Authorization, Proxy-Authorization, Cookie)
// redacted, their names kept: "Authorization: Basic [redacted]",
// "Cookie: session=[redacted]; theme=[redacted]".
func RequestHead(req *http.Request) []byte {
	var b bytes.Buffer
	b.WriteString(req.Method + " " + req.URL.RequestURI() + " HTTP/1.1\r\n")
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	b.WriteString("Host: " + host + "\r\n")
	h := redactCredentials(req.Header)
	if h.Get("User-Agent") == "" {
		h = h.Clone()
		if h == nil {
			h = http.Header{}
		}
		h.Set("User-Agent", "Go-http-client/1.1")
	}
	_ = h.Write(&b) // a bytes.Buffer does not fail
	b.WriteString("\r\n")
	return b.Bytes()
}

// ResponseHead returns the status line and header fields of resp as
// net/http parsed them: field names in canonical form, sorted by name,
// without Transfer-Encoding (the body is recorded without it).
func ResponseHead(resp *http.Response) []byte {
	var b bytes.Buffer
	proto := resp.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	b.WriteString(proto + " " + resp.Status + "\r\n")
	h := resp.Header
	if len(h.Values("Transfer-Encoding")) > 0 {
		h = h.Clone()
		h.Del("Transfer-Encoding")
	}
	_ = h.Write(&b)
	b.WriteString("\r\n")
	return b.Bytes()
}
