package warc

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// ErrNotWARC is returned by Append for a file that does not begin with a
// WARC record (or, for .warc.gz, a gzip member).
var ErrNotWARC = errors.New("warc: not a WARC file")

// maxHeaderBytes bounds the header of one record while a file is scanned.
const maxHeaderBytes = 1 << 20

// cutTorn scans f from its start, truncates it after its last whole record
// and returns that length.
func cutTorn(f *os.File, gz bool) (int64, error) {
	cr := &countingReader{br: bufio.NewReaderSize(f, 64<<10)}
	head, _ := cr.br.Peek(5)
	magic := []byte("WARC/")
	if gz {
		magic = []byte{0x1f, 0x8b}
	}
	if n := min(len(head), len(magic)); !bytes.Equal(head[:n], magic[:n]) {
		return 0, fmt.Errorf("%w: it begins with %q", ErrNotWARC, head)
	}
	var whole int64
	for {
		var typ string
		var err error
		if gz {
			typ, err = skipMember(cr)
		} else {
			typ, err = skipRecord(cr)
		}
		if err != nil {
			break
		}
		if typ != "request" { // a request stays only with its response after it
			whole = cr.n
		}
		if _, err := cr.br.Peek(1); err != nil {
			break
		}
	}
	if err := f.Truncate(whole); err != nil {
		return 0, fmt.Errorf("cut the torn tail after byte %d: %w", whole, err)
	}
	return whole, nil
}

// skipMember reads one gzip member holding one whole WARC record, and
// returns the record's WARC-Type.
func skipMember(cr *countingReader) (string, error) {
	zr, err := gzip.NewReader(cr) // cr is a flate.Reader: gzip reads no byte past the member
	if err != nil {
		return "", err
	}
	zr.Multistream(false)
	inner := &countingReader{br: bufio.NewReader(zr)}
	typ, err := skipRecord(inner)
	if err != nil {
		return "", err
	}
	n, err := io.Copy(io.Discard, inner.br) // to the end: gzip checks its CRC
	if err == nil && n > 0 {
		err = fmt.Errorf("%d bytes after the record in its gzip member", n)
	}
	return typ, err
}

// skipRecord reads one whole WARC record (header, Content-Length bytes of
// block, and the CRLF CRLF after it) and returns its WARC-Type.
func skipRecord(cr *countingReader) (string, error) {
	length := int64(-1)
	var typ string
	var read int
	for first := true; ; first = false {
		line, n, err := readLine(cr.br, maxHeaderBytes-read)
		read += n
		cr.n += int64(n)
		if err != nil {
			return "", err
		}
		s := strings.TrimRight(line, "\r\n")
		if first && !strings.HasPrefix(s, "WARC/") {
			return "", fmt.Errorf("%w: record begins with %q", ErrNotWARC, s)
		}
		if s == "" {
			break
		}
		name, value, _ := strings.Cut(s, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if strings.EqualFold(name, "WARC-Type") {
			typ = value
		}
		if strings.EqualFold(name, "Content-Length") {
			if length, err = strconv.ParseInt(value, 10, 64); err != nil || length < 0 {
				return "", fmt.Errorf("bad Content-Length %q", value)
			}
		}
	}
	if length < 0 {
		return "", errors.New("record without Content-Length")
	}
	if _, err := io.CopyN(io.Discard, cr, length); err != nil {
		return "", err
	}
	var end [4]byte
	if _, err := io.ReadFull(cr, end[:]); err != nil {
		return "", err
	}
	if string(end[:]) != "\r\n\r\n" {
		return "", fmt.Errorf("record ends in %q, not CRLF CRLF", end)
	}
	return typ, nil
}

// readLine reads one line of at most limit bytes, and returns its first
// bytes (a bufio buffer's worth) and its length.
func readLine(br *bufio.Reader, limit int) (string, int, error) {
	var first string
	n := 0
	for {
		part, err := br.ReadSlice('\n')
		if n == 0 {
			first = string(part)
		}
		n += len(part)
		switch {
		case n > limit:
			return "", n, fmt.Errorf("record header over %d bytes", maxHeaderBytes)
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		}
		return first, n, err
	}
}

// countingReader counts the bytes read through it. It is an
// io.ByteReader, so that gzip and flate read exactly one member.
type countingReader struct {
	br *bufio.Reader
	n  int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.br.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.br.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}
