package scrape

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"time"

	"github.com/poolscrape/poolscrape/scrape/warc"
)

// archivingTransport hands every HTTP exchange that goes through it (each
// redirect hop and each robots.txt fetch are exchanges of their own) to a
// warc.Writer: the request as sent, the response as received, its body
// before any content decoding and at most maxBody bytes of it. It sits
// under decodingTransport, so it sees the bytes of the wire; the request
// and response heads are those written and received over HTTP/1.x
// (recordHeads), rebuilt from the request and net/http's parse of the
// response over HTTP/2 and for an https URL through a proxy. The exchange
// is written when the response body is closed; an exchange that got no
// response (a network error) is not written.
type archivingTransport struct {
	base    http.RoundTripper
	w       *warc.Writer
	maxBody int64
	failed  func(error) // told of the first failed write
	once    sync.Once
	// previous returns the previous pass's memo of a URL (nil: no
	// recrawl): a 200 whose payload has that memo's PayloadDigest is
	// archived as an identical-payload-digest revisit.
	previous func(url string) (PageMemo, bool)
}

// archived returns base, or base wrapped to archive its exchanges in w
// when w is not nil (an *http.Transport base then dials headConns).
func archived(base http.RoundTripper, w *warc.Writer, maxBody int64, warn func(string), previous func(string) (PageMemo, bool)) http.RoundTripper {
	if w == nil {
		return base
	}
	if tr, ok := base.(*http.Transport); ok {
		recordHeads(tr)
	}
	t := &archivingTransport{base: base, w: w, maxBody: maxBody, previous: previous}
	t.failed = func(err error) {
		if warn != nil {
			t.once.Do(func() { warn(fmt.Sprintf("Config.Archive: %v; later exchanges are not archived", err)) })
		}
	}
	return t
}

// RoundTrip sends req, learning the server's address, and returns the
// response with a body that records what is read of it.
func (t *archivingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := &warc.Exchange{Date: time.Now(), TargetURI: req.URL.String()}
	var mu sync.Mutex
	var conn net.Conn
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		mu.Lock()
		defer mu.Unlock()
		conn = info.Conn
		if host, _, err := net.SplitHostPort(info.Conn.RemoteAddr().String()); err == nil {
			ex.IP = host
		}
	}}
	resp, err := t.base.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	if err != nil {
		return nil, err
	}
	resp.Request = req
	mu.Lock()
	var wireReq, wire []byte
	if hc, ok := conn.(*headConn); ok {
		wireReq, wire = hc.takeRequest(), hc.takeHead()
	}
	ex.Request, ex.ResponseHead = warc.WireRequestHead(wireReq, req), warc.WireResponseHead(wire, resp)
	if resp.StatusCode == http.StatusNotModified && (req.Header.Get("If-None-Match") != "" || req.Header.Get("If-Modified-Since") != "") {
		ex.Profile = warc.ProfileServerNotModified
		t.refer(ex)
	}
	mu.Unlock()
	resp.Body = &archivingBody{rc: resp.Body, t: t, ex: ex, sink: captureSinkOf(req.Context()), ok200: resp.StatusCode == http.StatusOK}
	return resp, nil
}

// refer names in the revisit ex the previous pass's capture of its URL,
// when its memo knows it.
func (t *archivingTransport) refer(ex *warc.Exchange) {
	if t.previous == nil {
		return
	}
	if m, ok := t.previous(ex.TargetURI); ok {
		ex.RefersTo, ex.RefersToDate = m.RecordID, m.Captured
	}
}

// CloseIdleConnections closes the idle connections of the transport below.
func (t *archivingTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// archivingBody keeps the first maxBody bytes read of a response body and
// writes the exchange when it is closed.
type archivingBody struct {
	rc   io.ReadCloser
	t    *archivingTransport
	sink *captureSink // nil: the fetch does not want to know

	mu      sync.Mutex // Close may come while a Read blocks
	ex      *warc.Exchange
	kept    bytes.Buffer
	over    bool  // more than maxBody bytes were read
	eof     bool  // the body was read to its end
	readErr error // the first read error but io.EOF
	done    bool  // written
	ok200   bool  // a 200: may be an identical-payload-digest revisit
}

func (b *archivingBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		if room := b.t.maxBody - int64(b.kept.Len()); int64(n) > room {
			b.kept.Write(p[:room])
			b.over = true
		} else {
			b.kept.Write(p[:n])
		}
		switch {
		case errors.Is(err, io.EOF):
			b.eof = true
		case err != nil && b.readErr == nil:
			b.readErr = err
		}
	}
	return n, err
}

// Close closes the body and writes the exchange, once.
func (b *archivingBody) Close() error {
	err := b.rc.Close()
	b.mu.Lock()
	if b.done {
		b.mu.Unlock()
		return err
	}
	b.done = true
	ex := b.ex
	ex.Body = b.kept.Bytes()
	switch {
	case b.over:
		ex.Truncated = warc.TruncatedLength
	case b.eof:
		b.revisit(ex)
	case b.readErr != nil:
		ex.Truncated = warc.TruncatedDisconnect
	default:
		ex.Truncated = warc.TruncatedUnspecified
	}
	b.mu.Unlock() // Read no longer touches kept
	if werr := b.t.w.WriteExchange(ex); werr != nil {
		b.t.failed(werr)
	} else if ex.Profile == "" {
		b.sink.archived(ex)
	}
	b.kept = bytes.Buffer{}
	return err
}

// revisit makes ex an identical-payload-digest revisit when its body,
// read whole, is the payload of the response record the previous pass's
// memo of its URL names: it has that record's WARC-Payload-Digest. The
// same decoded body received in another content coding (or a memo that
// keeps no digest) is archived whole.
func (b *archivingBody) revisit(ex *warc.Exchange) {
	if !b.ok200 || b.t.previous == nil || ex.Profile != "" {
		return
	}
	m, ok := b.t.previous(ex.TargetURI)
	if !ok || m.PayloadDigest == "" || m.RecordID == "" {
		return
	}
	ex.PayloadDigest = warc.PayloadDigest(ex.Body) // the writer's too
	if ex.PayloadDigest == m.PayloadDigest {
		ex.Profile = warc.ProfileIdenticalPayloadDigest
		ex.RefersTo, ex.RefersToDate = m.RecordID, m.Captured
	}
}

// captureSink learns the response record archived for one URL of a
// fetch (its first whole response record, not a revisit): the fetch keeps
// its WARC-Date, WARC-Record-ID and WARC-Payload-Digest in the URL's
// PageMemo, for the revisit records of the next pass to name and match.
type captureSink struct {
	url    string
	mu     sync.Mutex
	date   time.Time
	id     string // "": none archived
	digest string
}

type captureSinkKey struct{}

// withCaptureSink returns ctx carrying a new sink for the exchanges of url.
func withCaptureSink(ctx context.Context, url string) (context.Context, *captureSink) {
	s := &captureSink{url: url}
	return context.WithValue(ctx, captureSinkKey{}, s), s
}

func captureSinkOf(ctx context.Context) *captureSink {
	s, _ := ctx.Value(captureSinkKey{}).(*captureSink)
	return s
}

// archived tells s of ex, written; s keeps the first of its URL.
func (s *captureSink) archived(ex *warc.Exchange) {
	if s == nil || ex.TargetURI != s.url {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.id == "" {
		s.date, s.id, s.digest = ex.Date, ex.ID, ex.PayloadDigest
	}
}

// record returns the WARC-Date, WARC-Record-ID and WARC-Payload-Digest of
// the response record archived for s's URL; id is "" when none was.
func (s *captureSink) record() (date time.Time, id, digest string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.date, s.id, s.digest
}
