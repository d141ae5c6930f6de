// Package warcread reads a WARC file back for tests with an independent
// reader (github.com/nlnwa/gowarc), checking every record strictly: WARC
// syntax, its digests recomputed, request and response records paired by
// WARC-Concurrent-To. Only tests import it.
package warcread

import (
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"fmt"
	"io"

	"github.com/nlnwa/gowarc/v2"
)

// Record is one record read back.
type Record struct {
	Type         string // warcinfo, request, response, revisit
	ID           string // WARC-Record-ID
	Date         string // WARC-Date
	TargetURI    string
	IP           string
	ConcurrentTo string
	Truncated    string
	WarcinfoID   string
	Status       int    // of a response
	Block        []byte // the whole block
	Payload      []byte // the HTTP body of a request or response
	// of a revisit: WARC-Profile, WARC-Refers-To, WARC-Refers-To-Date,
	// WARC-Refers-To-Target-URI
	Profile, RefersTo, RefersToDate, RefersToTargetURI string
	// PayloadDigest is the WARC-Payload-Digest field (checked against
	// Payload in a response record; a revisit's claims its referred
	// record's)
	PayloadDigest string
}

// File reads the WARC file path (.warc or .warc.gz, told by its content)
// and returns its records, failing on the first record that is not
// whole and valid or whose digests do not match its block.
func File(path string) ([]Record, error) {
	r, err := gowarc.NewWarcFileReader(path, 0, gowarc.WithStrictValidation(), gowarc.WithFixDigest(false), gowarc.WithFixContentLength(false))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []Record
	for {
		wr, off, val, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, fmt.Errorf("record %d at %d: %w", len(out), off, err)
		}
		rec, err := read(wr, val)
		wr.Close()
		if err != nil {
			return out, fmt.Errorf("record %d at %d (%s): %w", len(out), off, wr.Type(), err)
		}
		out = append(out, rec)
	}
	return out, pairs(out)
}

func read(wr gowarc.WarcRecord, val *gowarc.Validation) (Record, error) {
	h := wr.WarcHeader()
	rec := Record{
		Type: wr.Type().String(), ID: h.Get(gowarc.WarcRecordID), TargetURI: h.Get(gowarc.WarcTargetURI),
		IP: h.Get(gowarc.WarcIPAddress), ConcurrentTo: h.Get(gowarc.WarcConcurrentTo),
		Truncated: h.Get(gowarc.WarcTruncated), WarcinfoID: h.Get(gowarc.WarcWarcinfoID),
		Date: h.Get(gowarc.WarcDate), Profile: h.Get(gowarc.WarcProfile), RefersTo: h.Get(gowarc.WarcRefersTo),
		RefersToDate: h.Get(gowarc.WarcRefersToDate), RefersToTargetURI: h.Get(gowarc.WarcRefersToTargetURI),
		PayloadDigest: h.Get(gowarc.WarcPayloadDigest),
	}
	if err := wr.Block().Cache(); err != nil {
		return rec, err
	}
	raw, err := wr.Block().RawBytes()
	if err != nil {
		return rec, err
	}
	if rec.Block, err = io.ReadAll(raw); err != nil {
		return rec, err
	}
	if got, want := sha1Base32(rec.Block), h.Get(gowarc.WarcBlockDigest); got != want {
		return rec, fmt.Errorf("WARC-Block-Digest %s, block's sha1 %s", want, got)
	}
	if pb, ok := wr.Block().(gowarc.PayloadBlock); ok {
		p, err := pb.PayloadBytes()
		if err != nil {
			return rec, err
		}
		if rec.Payload, err = io.ReadAll(p); err != nil {
			return rec, err
		}
	}
	if rb, ok := wr.Block().(gowarc.HttpResponseBlock); ok {
		rec.Status = rb.HttpStatusCode()
		if got, want := sha1Base32(rec.Payload), rec.PayloadDigest; got != want {
			return rec, fmt.Errorf("WARC-Payload-Digest %s, payload's sha1 %s", want, got)
		}
	}
	if err := wr.ValidateDigest(val); err != nil {
		return rec, err
	}
	if !val.Valid() {
		return rec, val
	}
	return rec, nil
}

// pairs checks that each request and response names the other.
func pairs(recs []Record) error {
	byID := map[string]Record{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	for _, r := range recs {
		if r.Type != "request" && r.Type != "response" {
			continue
		}
		o, ok := byID[r.ConcurrentTo]
		if !ok || o.ConcurrentTo != r.ID || o.Type == r.Type || o.TargetURI != r.TargetURI {
			return fmt.Errorf("%s %s of %s: no matching record %s", r.Type, r.ID, r.TargetURI, r.ConcurrentTo)
		}
	}
	return nil
}

func sha1Base32(b []byte) string {
	s := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(s[:])
}

// Digest is b's digest as WARC-Payload-Digest and WARC-Block-Digest
// write it: "sha1:" and base32.
func Digest(b []byte) string { return sha1Base32(b) }
