package scrape

import (
	"bufio"
	"compress/gzip"
	"io"
	"sync"
)

// A gzip reader holds some 40 KB of inflate state, a bufio.Reader 4 KB: a
// decoded body takes them from these pools and gives them back when it is
// closed, so that a crawl of compressed pages does not make (and the
// collector scan) a new set for every page. Both are of a fixed size.
var (
	bufioReaders sync.Pool // *bufio.Reader of the default size
	gzipReaders  sync.Pool // *gzip.Reader
)

// defaultBufioSize is the size of bufio.NewReader's buffer.
const defaultBufioSize = 4096

// pooledReaders are the pooled readers one decoded body holds, each once.
type pooledReaders struct {
	bufs  []*bufio.Reader
	gzips []*gzip.Reader
}

// bufio returns a pooled bufio.Reader reading r; r itself if it is a
// bufio.Reader of the default size or more, as bufio.NewReader does (it
// then stays with the body that holds it).
func (p *pooledReaders) bufio(r io.Reader) *bufio.Reader {
	if br, ok := r.(*bufio.Reader); ok && br.Size() >= defaultBufioSize {
		return br
	}
	br, _ := bufioReaders.Get().(*bufio.Reader)
	if br == nil {
		br = bufio.NewReader(r)
	} else {
		br.Reset(r)
	}
	p.bufs = append(p.bufs, br)
	return br
}

// gzip returns a pooled gzip.Reader reading r, once it has read the gzip
// header; the error is gzip.NewReader's.
func (p *pooledReaders) gzip(r io.Reader) (*gzip.Reader, error) {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	if zr == nil {
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		zr = z
	} else if err := zr.Reset(r); err != nil {
		gzipReaders.Put(zr) // Reset makes it good again
		return nil, err
	}
	p.gzips = append(p.gzips, zr)
	return zr, nil
}

// release gives every reader back. Nothing may use them after.
func (p *pooledReaders) release() {
	for _, br := range p.bufs {
		br.Reset(nil) // let go of the body below
		bufioReaders.Put(br)
	}
	for _, zr := range p.gzips {
		gzipReaders.Put(zr)
	}
	*p = pooledReaders{}
}
