package executor

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
	"time"
)

// fuzzLimit is the frame limit FuzzFrameDecode reads with.
const fuzzLimit = 1 << 12

// FuzzFrameDecode feeds arbitrary bytes to the frame reader and the body
// parsers: they must never panic, never hand out a body over the limit, and
// every frame they accept must encode back to an equal frame.
func FuzzFrameDecode(f *testing.F) {
	f.Add(appendCall(nil, &callFrame{id: 1, timeout: time.Second, nfds: 2, name: "scrape.fetch", payload: []byte("arg")}))
	f.Add(appendCancel(nil, 1<<40))
	f.Add(appendUnsend(nil, 9))
	f.Add(appendResult(nil, &resultFrame{id: 7, kind: kindPanic, text: "boom", payload: []byte("stack")}))
	f.Add(appendReady(nil, kindError, "initializer failed"))
	f.Add(append(appendCancel(nil, 3), appendResult(nil, &resultFrame{id: 3, kind: kindCanceled})...))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, frameCall})
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0, 0, 0, 9, frameCall, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := newFrameReader(bytes.NewReader(data), fuzzLimit)
		for {
			typ, body, err := fr.next()
			if err != nil {
				if err != io.EOF && !errors.Is(err, errBadFrame) {
					t.Fatalf("next: unexpected error %v", err)
				}
				return
			}
			if len(body) > fuzzLimit || cap(fr.buf) > fuzzLimit+1 {
				t.Fatalf("body of %d bytes (buffer %d) over the limit %d", len(body), cap(fr.buf), fuzzLimit)
			}
			checkRoundTrip(t, typ, body)
		}
	})
}

// checkRoundTrip parses body as a frame of type typ and, if that works,
// checks that encoding the result gives a frame that parses the same.
func checkRoundTrip(t *testing.T, typ byte, body []byte) {
	var again []byte
	var parsed any
	switch typ {
	case frameCall:
		c, err := parseCall(body)
		if err != nil {
			return
		}
		parsed, again = c, appendCall(nil, &c)
	case frameResult:
		r, err := parseResult(body)
		if err != nil {
			return
		}
		parsed, again = r, appendResult(nil, &r)
	case frameCancel:
		id, err := parseCancel(body)
		if err != nil {
			return
		}
		parsed, again = id, appendCancel(nil, id)
	case frameUnsend:
		id, err := parseCancel(body)
		if err != nil {
			return
		}
		parsed, again = id, appendUnsend(nil, id)
	case frameReady:
		kind, text, err := parseReady(body)
		if err != nil {
			return
		}
		parsed, again = [2]any{kind, text}, appendReady(nil, kind, text)
	default:
		return
	}
	fr := newFrameReader(bytes.NewReader(again), len(again))
	typ2, body2, err := fr.next()
	if err != nil || typ2 != typ {
		t.Fatalf("re-encoded frame: type %d, %v", typ2, err)
	}
	var reparsed any
	switch typ {
	case frameCall:
		reparsed, _ = parseCall(body2)
	case frameResult:
		reparsed, _ = parseResult(body2)
	case frameCancel, frameUnsend:
		reparsed, _ = parseCancel(body2)
	case frameReady:
		kind, text, _ := parseReady(body2)
		reparsed = [2]any{kind, text}
	}
	if !reflect.DeepEqual(normalize(parsed), normalize(reparsed)) {
		t.Fatalf("round trip changed the frame: %#v became %#v", parsed, reparsed)
	}
}

// normalize makes empty payloads compare equal whether nil or not.
func normalize(v any) any {
	switch x := v.(type) {
	case callFrame:
		x.payload = append([]byte{}, x.payload...)
		return x
	case resultFrame:
		x.payload = append([]byte{}, x.payload...)
		return x
	}
	return v
}

func TestFrameRoundTrip(t *testing.T) {
	c := callFrame{id: 42, timeout: 3 * time.Second, nfds: 1, name: "pp.add", payload: []byte{tagInt, 2}}
	fr := newFrameReader(bytes.NewReader(appendCall(nil, &c)), 1<<10)
	typ, body, err := fr.next()
	if err != nil || typ != frameCall {
		t.Fatalf("next = %d, %v", typ, err)
	}
	got, err := parseCall(body)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("parseCall = %+v, %v; want %+v", got, err, c)
	}
	if _, _, err := fr.next(); err != io.EOF {
		t.Fatalf("after the last frame: %v, want io.EOF", err)
	}
}

func TestFrameOverLimit(t *testing.T) {
	big := appendResult(nil, &resultFrame{id: 1, payload: make([]byte, 100)})
	fr := newFrameReader(bytes.NewReader(big), 50)
	if _, _, err := fr.next(); !errors.Is(err, errBadFrame) {
		t.Fatalf("frame over the limit: %v, want errBadFrame", err)
	}
	if fr.buf != nil {
		t.Fatalf("the reader allocated %d bytes for a frame it refused", cap(fr.buf))
	}
	truncated := appendCancel(nil, 5)
	fr = newFrameReader(bytes.NewReader(truncated[:len(truncated)-1]), 50)
	if _, _, err := fr.next(); !errors.Is(err, errBadFrame) {
		t.Fatalf("truncated frame: %v, want errBadFrame", err)
	}
}

func TestCodecRoundTrip(t *testing.T) {
	type point struct{ X, Y int }
	values := []any{0, -1, 1 << 30, int64(1 << 40), int64(-5), int32(7), uint(9), uint64(1 << 63), uint32(3),
		true, false, 2.5, "", "héllo", []byte{}, []byte("bytes"), point{1, 2}, []string{"a"}, map[string]int{"k": 1}}
	for _, v := range values {
		data, err := encodeValue(v)
		if err != nil {
			t.Fatalf("encode %#v: %v", v, err)
		}
		ptr := reflect.New(reflect.TypeOf(v))
		if err := decodeValue(data, ptr.Interface()); err != nil {
			t.Fatalf("decode %#v: %v", v, err)
		}
		if got := ptr.Elem().Interface(); !reflect.DeepEqual(got, v) {
			t.Errorf("round trip of %#v gave %#v", v, got)
		}
	}
	data, _ := encodeValue(5)
	var s string
	if err := decodeValue(data, &s); !errors.Is(err, ErrEncode) {
		t.Errorf("int decoded into a string: %v, want ErrEncode", err)
	}
	var i int
	if err := decodeValue([]byte{tagInt, 0x80}, &i); !errors.Is(err, ErrEncode) {
		t.Errorf("truncated varint: %v, want ErrEncode", err)
	}
}
