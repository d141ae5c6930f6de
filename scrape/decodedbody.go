package scrape

import (
	"compress/flate"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
)

// decodedBody is a response body decoded as it is read, coding by coding,
// to at most limit bytes, and only while ctx lives: reading on past the
// limit fails with a decodedTooLarge error, which Is errDecodedTooLarge.
type decodedBody struct {
	ctx     context.Context
	src     io.Reader     // the body as sent
	raw     io.ReadCloser // closes it
	codings []string      // as applied, so decoded from the last
	left    int64         // decoded bytes still allowed
	limit   int64
	r       io.Reader // the decoded stream, from the first Read on
	err     error     // sticky

	mu     sync.Mutex    // held by a Read, and by a Close that gives back pooled
	closed atomic.Bool   // by Close: a Read after it fails
	pooled pooledReaders // r's readers, given back on Close (decodepool.go)
}

// errBodyClosed is a Read of a decoded body after its Close.
var errBodyClosed = errors.New("scrape: read of a closed body")

// Read returns decoded bytes.
func (b *decodedBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed.Load() {
		return 0, errBodyClosed
	}
	if b.err != nil {
		return 0, b.err
	}
	if err := b.ctx.Err(); err != nil {
		return 0, b.fail(err)
	}
	if b.r == nil {
		if err := b.open(); err != nil {
			return 0, b.fail(err)
		}
	}
	if b.left <= 0 {
		return 0, b.over()
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if err != nil && err != io.EOF {
		err = b.fail(b.decodeErr(err))
	}
	return n, err
}

// Close closes the body as sent and gives the decoders' readers back to
// their pools, unless a Read is using them: Close does not wait for it (a
// Read may block on the network), and they are then left to the collector.
func (b *decodedBody) Close() error {
	err := b.raw.Close()
	if b.closed.Swap(true) || !b.mu.TryLock() {
		return err
	}
	b.r = nil
	b.pooled.release()
	b.mu.Unlock()
	return err
}

func (b *decodedBody) fail(err error) error {
	b.err = err
	return err
}

func (b *decodedBody) decodeErr(err error) error {
	return fmt.Errorf("scrape: decoding Content-Encoding %s: %w", strings.Join(b.codings, ", "), err)
}

// over is a Read at the limit: the end of the body, or the error.
func (b *decodedBody) over() error {
	var one [1]byte
	switch _, err := io.ReadAtLeast(b.r, one[:], 1); err {
	case nil:
		return b.fail(&decodedTooLarge{limit: b.limit, codings: b.codings})
	case io.EOF:
		return io.EOF
	default:
		return b.fail(b.decodeErr(err))
	}
}

// open stacks the decoders, each reading through a context check. An empty
// body stays empty (a HEAD, 204 or 304 answer may declare a coding).
func (b *decodedBody) open() error {
	br := b.pooled.bufio(ctxReader{b.ctx, b.src})
	if _, err := br.Peek(1); err == io.EOF {
		b.r = br
		return nil
	}
	var src io.Reader = br
	for i := len(b.codings) - 1; i >= 0; i-- {
		d, err := b.newDecoder(b.codings[i], src)
		if err != nil {
			return b.decodeErr(err)
		}
		src = ctxReader{b.ctx, d}
	}
	b.r = src
	return nil
}

// newDecoder decodes one coding: gzip, or deflate, which is zlib (RFC
// 1950) as HTTP says or bare deflate (RFC 1951) as some servers send it.
func (b *decodedBody) newDecoder(coding string, src io.Reader) (io.Reader, error) {
	if coding == "gzip" {
		if _, ok := src.(io.ByteReader); !ok {
			src = b.pooled.bufio(src) // else gzip makes a bufio.Reader of its own
		}
		return b.pooled.gzip(src)
	}
	br := b.pooled.bufio(src)
	if h, _ := br.Peek(2); len(h) == 2 && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}

// ctxReader fails reads once ctx has ended.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// failedBody is the body of a response the crawler cannot decode: reading
// it fails with err.
type failedBody struct {
	raw io.ReadCloser
	err error
}

func (f *failedBody) Read([]byte) (int, error) { return 0, f.err }
func (f *failedBody) Close() error             { return f.raw.Close() }

// readCloser reads through r and closes c.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (r readCloser) Close() error { return r.c.Close() }
