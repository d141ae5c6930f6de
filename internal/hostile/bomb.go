// Package hostile serves misbehaving HTTP answers for the crawler's tests:
// each handler is one kind of hostile server, in a file named for it.
package hostile

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"sync"
)

// BodyCoding is how a Bomb compresses its body.
type BodyCoding string

// The body codings of a Bomb.
const (
	GzipBody       BodyCoding = "gzip"       // gzip members, one after another
	DoubleGzipBody BodyCoding = "gzip, gzip" // the gzip stream, gzipped again
	ZlibBody       BodyCoding = "deflate"    // one zlib stream (HTTP's deflate)
	EmptyMembers   BodyCoding = "empty"      // empty gzip members without end: decodes to nothing, forever
)

const (
	memberZeros = 64 << 20 // zeros in one precomputed gzip member
	zlibChunk   = 1 << 20  // zeros written to the zlib stream at a time
	doubleChunk = 4 << 10  // inner gzip bytes written to the outer stream at a time
)

// Bomb is a decompression bomb: a small compressed body that decodes to
// Decoded bytes of zeros (rounded up to whole chunks), streamed as it is
// read, so the server holds only one precomputed chunk. The headers are
// sent as given: a Content-Encoding (any spelling, stacked codings, or none
// at all) and a Content-Type.
type Bomb struct {
	ContentEncoding string // "" sends no Content-Encoding header
	ContentType     string
	Coding          BodyCoding
	Decoded         int64 // bytes of zeros the body decodes to
}

// ServeHTTP streams the bomb until it is whole or the client goes away.
func (b *Bomb) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	if b.ContentEncoding != "" {
		w.Header().Set("Content-Encoding", b.ContentEncoding)
	}
	w.Header().Set("Content-Type", b.ContentType)
	switch b.Coding {
	case ZlibBody:
		b.serveZlib(w)
	case DoubleGzipBody:
		b.serveDoubleGzip(w)
	case EmptyMembers:
		serveEmptyMembers(w)
	default:
		b.serveGzip(w)
	}
}

// serveGzip writes the precomputed member again and again: a gzip reader
// reads concatenated members as one stream.
func (b *Bomb) serveGzip(w io.Writer) {
	m := zeroMember()
	for done := int64(0); done < b.Decoded; done += memberZeros {
		if _, err := w.Write(m); err != nil {
			return
		}
	}
}

func (b *Bomb) serveZlib(w io.Writer) {
	zw, _ := zlib.NewWriterLevel(w, zlib.BestCompression)
	zeros := make([]byte, zlibChunk)
	for done := int64(0); done < b.Decoded; done += zlibChunk {
		if _, err := zw.Write(zeros); err != nil {
			return
		}
	}
	_ = zw.Close()
}

func (b *Bomb) serveDoubleGzip(w io.Writer) {
	zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	m := zeroMember()
	for done := int64(0); done < b.Decoded; done += memberZeros {
		for off := 0; off < len(m); off += doubleChunk {
			if _, err := zw.Write(m[off:min(off+doubleChunk, len(m))]); err != nil {
				return
			}
		}
	}
	_ = zw.Close()
}

// serveEmptyMembers writes empty gzip members until the client goes away.
func serveEmptyMembers(w io.Writer) {
	m := bytes.Repeat(gzipBytes(nil), 1000)
	for {
		if _, err := w.Write(m); err != nil {
			return
		}
	}
}

// zeroMember is one gzip member of memberZeros zeros, made once.
var zeroMember = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for i := 0; i < memberZeros/len(zeros); i++ {
		_, _ = zw.Write(zeros)
	}
	_ = zw.Close()
	return buf.Bytes()
})

// Encode codes body as a Bomb with that coding would ("" leaves it as is),
// for small bodies that must decode whole.
func Encode(coding BodyCoding, body []byte) []byte {
	switch coding {
	case GzipBody:
		return gzipBytes(body)
	case DoubleGzipBody:
		return gzipBytes(gzipBytes(body))
	case ZlibBody:
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		_, _ = zw.Write(body)
		_ = zw.Close()
		return buf.Bytes()
	}
	return body
}

func gzipBytes(body []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(body)
	_ = zw.Close()
	return buf.Bytes()
}
