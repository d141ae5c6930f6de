package executor

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Frames carry calls, cancellations and results between a ProcessPool and
// its worker processes over one Unix stream socket pair per worker.
//
// A frame is a 4-byte big-endian length n (1 <= n <= the reader's limit + 1),
// then n bytes: a type byte and the body. Integers in bodies are varints,
// strings are a uvarint length and the bytes, and a payload runs to the end
// of the frame:
//
//	call   (parent → worker): id, timeout (ns), number of fds, task name, payload
//	cancel (parent → worker): id
//	unsend (parent → worker): id (give back a call that has not started)
//	result (worker → parent): id, kind, error text, payload
//	ready  (worker → parent): kind, error text (the initializer's outcome)
//
// The file descriptors of a call travel as SCM_RIGHTS on a sendmsg of their
// own whose bytes start with the call frame, so the worker receives them, in
// order, with the read that brings the frame's first byte (or an earlier
// one). A worker out of descriptors gets fewer than were sent and is told so
// (MSG_CTRUNC on Linux; an EMFILE or EMSGSIZE error from recvmsg on the
// BSDs and macOS, after which the bytes come without them): the calls whose
// frames start in that read and find their descriptors missing fail alone
// (see fdReader.take).
const (
	frameCall   byte = 1
	frameCancel byte = 2
	frameResult byte = 3
	frameReady  byte = 4
	frameUnsend byte = 5
)

const (
	frameHeaderLen = 4
	// frameSlack is the room in a frame beyond its payload: ids, the task
	// name and error text.
	frameSlack = 64 << 10
	// maxTaskName bounds the task name in a call frame.
	maxTaskName = 4 << 10
	// maxErrText bounds the error text in a result frame; longer text is
	// cut by the worker.
	maxErrText = 32 << 10
	// maxFrameFDs is the most file descriptors one call may pass (the
	// kernel's SCM_MAX_FD).
	maxFrameFDs = 253
	// maxFrameLimit is the largest payload WithMaxFrame allows.
	maxFrameLimit = 1 << 30
	// keepFrameBuf is the largest read buffer a frameReader keeps between
	// frames.
	keepFrameBuf = 1 << 20
)

// errBadFrame reports a frame that breaks the protocol: the peer is broken,
// and the connection to it cannot go on.
var errBadFrame = errors.New("malformed frame")

// result kinds: how a task ended, so that the parent can rebuild errors that
// errors.Is can match.
const (
	kindOK byte = iota
	kindError
	kindPanic
	kindCanceled
	kindDeadline
	kindTimeout
	kindUnknownTask
	kindEncode
	kindFiles
	// kindNotRun answers a call canceled after its worker took it from
	// its waiting calls but before its task began: it never ran.
	kindNotRun
	kindMax = kindNotRun
)

type callFrame struct {
	id      uint64
	timeout time.Duration
	nfds    int
	name    string
	payload []byte
}

type resultFrame struct {
	id      uint64
	kind    byte
	text    string
	payload []byte
}

// appendFrame appends a frame of type typ whose body body appends.
func appendFrame(dst []byte, typ byte, body func([]byte) []byte) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0, typ)
	dst = body(dst)
	binary.BigEndian.PutUint32(dst[start:], uint32(len(dst)-start-frameHeaderLen))
	return dst
}

func appendCall(dst []byte, c *callFrame) []byte {
	return appendFrame(dst, frameCall, func(b []byte) []byte {
		b = binary.AppendUvarint(b, c.id)
		b = binary.AppendVarint(b, int64(c.timeout))
		b = binary.AppendUvarint(b, uint64(c.nfds))
		b = appendString(b, c.name)
		return append(b, c.payload...)
	})
}

func appendCancel(dst []byte, id uint64) []byte {
	return appendFrame(dst, frameCancel, func(b []byte) []byte {
		return binary.AppendUvarint(b, id)
	})
}

// appendUnsend appends an unsend frame, whose body is a cancel frame's.
func appendUnsend(dst []byte, id uint64) []byte {
	return appendFrame(dst, frameUnsend, func(b []byte) []byte {
		return binary.AppendUvarint(b, id)
	})
}

func appendResult(dst []byte, r *resultFrame) []byte {
	return appendFrame(dst, frameResult, func(b []byte) []byte {
		b = binary.AppendUvarint(b, r.id)
		b = append(b, r.kind)
		b = appendString(b, r.text)
		return append(b, r.payload...)
	})
}

func appendReady(dst []byte, kind byte, text string) []byte {
	return appendFrame(dst, frameReady, func(b []byte) []byte {
		return appendString(append(b, kind), text)
	})
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// frameReader reads frames, reusing one buffer: a frame's body is valid only
// until the next call of next.
type frameReader struct {
	r     *bufio.Reader
	limit int // the largest body, type byte excluded
	buf   []byte
	pos   int64 // stream offset after the last frame read
	start int64 // stream offset of the last frame read
}

func newFrameReader(r io.Reader, limit int) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(r, 64<<10), limit: limit}
}

// next reads a frame. It returns io.EOF at a clean end between frames, and
// an error matching errBadFrame for a frame that is truncated, empty or over
// the limit; it never allocates more than the limit.
func (fr *frameReader) next() (typ byte, body []byte, err error) {
	if cap(fr.buf) > keepFrameBuf {
		fr.buf = nil
	}
	fr.start = fr.pos
	var hdr [frameHeaderLen]byte
	if _, err := io.ReadFull(fr.r, hdr[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return 0, nil, fmt.Errorf("%w: truncated header", errBadFrame)
		}
		return 0, nil, err
	}
	n := uint64(binary.BigEndian.Uint32(hdr[:]))
	if n == 0 || n > uint64(fr.limit)+1 {
		return 0, nil, fmt.Errorf("%w: length %d outside 1..%d", errBadFrame, n, fr.limit+1)
	}
	if uint64(cap(fr.buf)) < n {
		fr.buf = make([]byte, n)
	}
	b := fr.buf[:n]
	if _, err := io.ReadFull(fr.r, b); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return 0, nil, fmt.Errorf("%w: truncated body (%d bytes announced)", errBadFrame, n)
		}
		return 0, nil, err
	}
	fr.pos += frameHeaderLen + int64(n)
	return b[0], b[1:], nil
}

// parser reads the fields of a frame body; the first failure sticks.
type parser struct {
	b   []byte
	err error
}

func (p *parser) fail(what string) {
	if p.err == nil {
		p.err = fmt.Errorf("%w: bad %s", errBadFrame, what)
	}
	p.b = nil
}

func (p *parser) uvarint(what string) uint64 {
	x, n := binary.Uvarint(p.b)
	if n <= 0 {
		p.fail(what)
		return 0
	}
	p.b = p.b[n:]
	return x
}

func (p *parser) varint(what string) int64 {
	x, n := binary.Varint(p.b)
	if n <= 0 {
		p.fail(what)
		return 0
	}
	p.b = p.b[n:]
	return x
}

func (p *parser) byte(what string) byte {
	if len(p.b) == 0 {
		p.fail(what)
		return 0
	}
	c := p.b[0]
	p.b = p.b[1:]
	return c
}

func (p *parser) string(what string, limit int) string {
	n := p.uvarint(what)
	if p.err != nil || n > uint64(limit) || n > uint64(len(p.b)) {
		p.fail(what)
		return ""
	}
	s := string(p.b[:n])
	p.b = p.b[n:]
	return s
}

// end checks that the body was used up.
func (p *parser) end() error {
	if p.err == nil && len(p.b) != 0 {
		p.err = fmt.Errorf("%w: %d trailing bytes", errBadFrame, len(p.b))
	}
	return p.err
}

// parseCall parses a call body. The payload aliases body.
func parseCall(body []byte) (callFrame, error) {
	p := parser{b: body}
	var c callFrame
	c.id = p.uvarint("call id")
	if t := p.varint("timeout"); t >= 0 {
		c.timeout = time.Duration(t)
	} else {
		p.fail("timeout")
	}
	if n := p.uvarint("fd count"); n <= maxFrameFDs {
		c.nfds = int(n)
	} else {
		p.fail("fd count")
	}
	c.name = p.string("task name", maxTaskName)
	c.payload = p.b
	return c, p.err
}

func parseCancel(body []byte) (uint64, error) {
	p := parser{b: body}
	id := p.uvarint("cancel id")
	return id, p.end()
}

// parseResult parses a result body. The payload aliases body.
func parseResult(body []byte) (resultFrame, error) {
	p := parser{b: body}
	var r resultFrame
	r.id = p.uvarint("result id")
	if r.kind = p.byte("result kind"); r.kind > kindMax {
		p.fail("result kind")
	}
	r.text = p.string("error text", maxErrText)
	r.payload = p.b
	return r, p.err
}

func parseReady(body []byte) (kind byte, text string, err error) {
	p := parser{b: body}
	if kind = p.byte("ready kind"); kind > kindMax {
		p.fail("ready kind")
	}
	text = p.string("ready text", maxErrText)
	return kind, text, p.end()
}
