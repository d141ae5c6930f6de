package warc

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"
)

// Field is one WARC named field: a record header field or a warcinfo
// line.
type Field struct{ Name, Value string }

// record is one WARC record being built.
type record struct {
	fields []Field  // WARC-Type, WARC-Record-ID and WARC-Date first
	block  [][]byte // the block, in parts written one after the other
	size   int64    // bytes of block
}

// newRecord starts a record of type typ with the given ID and date.
func newRecord(typ, id string, date time.Time) *record {
	return &record{fields: []Field{
		{"WARC-Type", typ},
		{"WARC-Record-ID", id},
		{"WARC-Date", warcDate(date)},
	}}
}

// warcDate is t as WARC-Date writes it: UTC, to the second (RFC 3339).
func warcDate(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (r *record) add(name, value string) {
	if value != "" {
		r.fields = append(r.fields, Field{name, value})
	}
}

// setBlock sets the block's parts and adds WARC-Block-Digest.
func (r *record) setBlock(parts ...[]byte) {
	d := sha1.New()
	for _, p := range parts {
		d.Write(p)
		r.size += int64(len(p))
	}
	r.block = parts
	r.add("WARC-Block-Digest", digestString(d))
}

// appendTo writes the record to b: in one gzip member when gz.
func (r *record) appendTo(b *bytes.Buffer, gz bool) {
	if !gz {
		r.write(b)
		return
	}
	zw, _ := gzip.NewWriterLevel(b, gzip.DefaultCompression) // the level is valid
	r.write(zw)
	_ = zw.Close() // writes to a bytes.Buffer do not fail
}

func (r *record) write(w interface{ Write([]byte) (int, error) }) {
	var head strings.Builder
	head.WriteString("WARC/1.1\r\n")
	for _, f := range r.fields {
		head.WriteString(f.Name + ": " + oneLine(f.Value) + "\r\n")
	}
	head.WriteString("Content-Length: " + strconv.FormatInt(r.size, 10) + "\r\n\r\n")
	_, _ = w.Write([]byte(head.String()))
	for _, p := range r.block {
		_, _ = w.Write(p)
	}
	_, _ = w.Write([]byte("\r\n\r\n"))
}

// oneLine keeps a field value on its line: CR and LF become spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

// digestString is a finished sha1 as WARC digests are written:
// "sha1:" and base32.
func digestString(d hash.Hash) string {
	return "sha1:" + base32.StdEncoding.EncodeToString(d.Sum(nil))
}

// PayloadDigest is the WARC-Payload-Digest of a record whose payload is
// body: its sha1, written "sha1:" and base32.
func PayloadDigest(body []byte) string {
	d := sha1.New()
	d.Write(body)
	return digestString(d)
}

// newID returns a fresh WARC-Record-ID: a random (version 4) UUID URN in
// angle brackets.
func newID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read does not fail
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("<urn:uuid:%x-%x-%x-%x-%x>", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
