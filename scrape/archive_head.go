package scrape

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"sync"
)

// tlsHandshake is the first byte of a TLS record that starts a handshake:
// what a connection sends first when TLS runs over it.
const tlsHandshake = 0x16

type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// recordHeads makes t's connections headConns that keep each request head
// as written and each response head as received, at most about t's
// response header limit: those t
// dials (plain HTTP, and the connections to a proxy), and those it dials
// with TLS (dialTLS) but for HTTP/2 ones.
func recordHeads(t *http.Transport) {
	limit := t.MaxResponseHeaderBytes
	if limit <= 0 {
		limit = 10 << 20 // net/http's default
	}
	dial := dialFunc(t.DialContext)
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &headConn{Conn: c, limit: int(limit) + 4096}, nil
	}
	if t.DialTLSContext == nil {
		t.DialTLSContext = dialTLS(t, dial, int(limit)+4096)
	}
}

// dialTLS returns t's DialTLSContext: the TLS net/http adds itself when it
// has none (t.TLSClientConfig, the dialled host as ServerName,
// t.TLSHandshakeTimeout) over dial. A connection that speaks HTTP/1.1 is a
// headConn over the TLS one; one that speaks HTTP/2 stays the *tls.Conn
// net/http needs for HTTP/2 (whose heads have no wire text to keep).
// net/http uses it to reach an https URL directly or an https proxy; it
// adds the TLS of an https URL through a proxy (CONNECT, socks5) itself.
func dialTLS(t *http.Transport, dial dialFunc, limit int) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		raw, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		cfg := t.TLSClientConfig.Clone() // with the NextProtos net/http set up
		if cfg == nil {
			cfg = &tls.Config{}
		}
		if cfg.ServerName == "" {
			cfg.ServerName, _, _ = net.SplitHostPort(addr)
		}
		hctx := ctx
		if d := t.TLSHandshakeTimeout; d > 0 {
			var cancel context.CancelFunc
			hctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		tc := tls.Client(raw, cfg)
		if err := tc.HandshakeContext(hctx); err != nil {
			raw.Close()
			return nil, err
		}
		if tc.ConnectionState().NegotiatedProtocol == "h2" {
			return tc, nil
		}
		return &headConn{Conn: tc, limit: limit}, nil
	}
}

// headConn is a client connection that keeps, for each request written on
// it, the bytes of its head as written (the request line and header fields
// up to the empty line) and of the response head read back (the status
// line and header fields up to the empty line, an interim 1xx head
// skipped), each at most limit bytes (else nothing). net/http writes one
// request at a time on a connection and reads its response before it
// writes the next, so the heads kept are the current request's. A
// connection that starts TLS keeps nothing from then on: its bytes are not
// HTTP's.
type headConn struct {
	net.Conn
	limit int

	mu        sync.Mutex
	off       bool // TLS runs over the connection
	capturing bool // the head of the request last written is being read
	complete  bool // head is that head, whole
	head      []byte
	req       requestHead
}

// Write keeps what it writes of a request head, and starts keeping the
// head of the response to it.
func (c *headConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if len(p) > 0 && p[0] == tlsHandshake {
		c.off = true
		c.req = requestHead{}
	}
	if !c.off {
		c.req.wrote(p, c.limit)
	}
	c.capturing, c.complete, c.head = !c.off, false, nil
	c.mu.Unlock()
	return c.Conn.Write(p)
}

// Read keeps what it reads of a response head.
func (c *headConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		c.keep(p[:n])
		c.req.answered = c.req.state != reqIdle
		c.mu.Unlock()
	}
	return n, err
}

// takeRequest returns the head of the request last written, as written,
// or nil when it was not kept whole.
func (c *headConn) takeRequest() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.req.take()
}

// keep adds b, read from the connection, to the head being read.
func (c *headConn) keep(b []byte) {
	for c.capturing && len(b) > 0 {
		from := max(0, len(c.head)-2) // the empty line may straddle two reads
		take := min(len(b), c.limit-len(c.head))
		c.head = append(c.head, b[:take]...)
		end := headEnd(c.head, from)
		if end < 0 {
			if take < len(b) { // over the limit
				c.capturing, c.head = false, nil
			}
			return
		}
		b = b[take-(len(c.head)-end):]
		if interim(c.head[:end]) {
			c.head = nil
			continue
		}
		c.head = c.head[:end:end]
		c.capturing, c.complete = false, true
	}
}

// takeHead returns the head of the response to the request last written,
// or nil when it was not read whole.
func (c *headConn) takeHead() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.complete {
		return nil
	}
	h := c.head
	c.head, c.complete = nil, false
	return h
}

// headEnd returns the end of the head in b (just after its empty line; an
// empty line is CRLF or LF, as net/http reads it), searching from from, or
// -1.
func headEnd(b []byte, from int) int {
	for i := from; i < len(b); i++ {
		if b[i] != '\n' {
			continue
		}
		switch {
		case i+1 < len(b) && b[i+1] == '\n':
			return i + 2
		case i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n':
			return i + 3
		}
	}
	return -1
}

// interim reports whether head is a 1xx head net/http reads past (all
// but 101 Switching Protocols).
func interim(head []byte) bool {
	// "HTTP/1.1 1xx": the status code after the first space
	sp := -1
	for i, ch := range head {
		if ch == ' ' {
			sp = i
			break
		}
		if ch == '\n' {
			return false
		}
	}
	if sp < 0 || len(head) < sp+4 {
		return false
	}
	code := string(head[sp+1 : sp+4])
	return code[0] == '1' && code != "101"
}
