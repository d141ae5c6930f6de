package executor

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"math"
	"reflect"
	"sync"
)

// The codec turns task arguments and results into bytes for the trip to and
// from a worker process, and back.
//
// The encoding was chosen by BenchmarkCodec (bench_processpool_test.go), which
// compares a fresh gob encoder and decoder per value, the simplest encoding
// that handles every gob-encodable type, against a tagged fast path for the
// scalar types trivial tasks mostly pass. A fresh gob stream must describe the
// value's type before the value itself, and the decoder must compile that
// description every time: for an int that costs ~2µs and ~90 bytes round
// trip, where the fast path takes a few nanoseconds and 2-10 bytes. A
// persistent gob stream per worker would amortise the type descriptions, but
// it cannot cross the task registry (a handler decodes one value on its own)
// and a value that fails to decode would poison the stream for every later
// call. So: the scalar types below take the fast path, everything else takes
// a fresh gob stream, and the first byte says which.
const (
	tagGob byte = iota
	tagInt
	tagInt64
	tagInt32
	tagUint
	tagUint64
	tagUint32
	tagBool
	tagFloat64
	tagString
	tagBytes
	tagNil // a nil pointer or interface, which gob refuses (it panics)
)

// encodeValue encodes v for the trip to or from a worker process.
func encodeValue(v any) ([]byte, error) {
	if b, ok := encodeScalar(v); ok {
		return b, nil
	}
	if isNil(v) {
		return []byte{tagNil}, nil
	}
	if err := checkEncodable(reflect.TypeOf(v)); err != nil {
		return nil, fmt.Errorf("%w %T: %w", ErrEncode, v, err)
	}
	return gobEncode(v)
}

// decodeValue decodes what encodeValue made into the value ptr points to.
func decodeValue(data []byte, ptr any) error {
	if len(data) == 0 {
		return fmt.Errorf("%w: decode into %T: no data", ErrEncode, ptr)
	}
	switch data[0] {
	case tagGob:
		return gobDecode(data[1:], ptr)
	case tagNil:
		return decodeNil(data[1:], ptr)
	}
	if err := decodeScalar(data[0], data[1:], ptr); err != nil {
		return fmt.Errorf("%w: decode into %T: %w", ErrEncode, ptr, err)
	}
	return nil
}

// isNil reports whether v is nil or a nil pointer: a task may well return
// a nil *T, which gob cannot encode.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// decodeNil sets what ptr points to, a pointer or an interface, to nil.
func decodeNil(rest []byte, ptr any) error {
	pv := reflect.ValueOf(ptr)
	if len(rest) != 0 || pv.Kind() != reflect.Pointer || pv.IsNil() {
		return fmt.Errorf("%w: decode nil into %T: bad data", ErrEncode, ptr)
	}
	switch pv.Elem().Kind() {
	case reflect.Pointer, reflect.Interface:
		pv.Elem().SetZero()
		return nil
	}
	return fmt.Errorf("%w: decode into %T: the data holds nil", ErrEncode, ptr)
}

// gobEncode encodes v with a fresh gob encoder, behind tagGob. Gob panics on
// some values (a nil pointer inside a pointer, say): that is an error too.
func gobEncode(v any) (_ []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w %T: %v", ErrEncode, v, r)
		}
	}()
	buf := bytes.NewBuffer(make([]byte, 1, 128))
	buf.Bytes()[0] = tagGob
	if err := gob.NewEncoder(buf).Encode(v); err != nil {
		return nil, fmt.Errorf("%w %T: %w", ErrEncode, v, err)
	}
	return buf.Bytes(), nil
}

// gobDecode decodes one gob stream made by gobEncode (without its tag).
func gobDecode(data []byte, ptr any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: decode into %T: %v", ErrEncode, ptr, r)
		}
	}()
	r := bytes.NewReader(data)
	if err := gob.NewDecoder(r).Decode(ptr); err != nil {
		return fmt.Errorf("%w: decode into %T: %w", ErrEncode, ptr, err)
	}
	if r.Len() != 0 {
		return fmt.Errorf("%w: decode into %T: %d bytes left over", ErrEncode, ptr, r.Len())
	}
	return nil
}

// encodeScalar encodes the types of the fast path; ok is false for others.
func encodeScalar(v any) (b []byte, ok bool) {
	switch x := v.(type) {
	case int:
		return binary.AppendVarint([]byte{tagInt}, int64(x)), true
	case int64:
		return binary.AppendVarint([]byte{tagInt64}, x), true
	case int32:
		return binary.AppendVarint([]byte{tagInt32}, int64(x)), true
	case uint:
		return binary.AppendUvarint([]byte{tagUint}, uint64(x)), true
	case uint64:
		return binary.AppendUvarint([]byte{tagUint64}, x), true
	case uint32:
		return binary.AppendUvarint([]byte{tagUint32}, uint64(x)), true
	case bool:
		if x {
			return []byte{tagBool, 1}, true
		}
		return []byte{tagBool, 0}, true
	case float64:
		return binary.BigEndian.AppendUint64([]byte{tagFloat64}, math.Float64bits(x)), true
	case string:
		return append(append(make([]byte, 0, 1+len(x)), tagString), x...), true
	case []byte:
		if x == nil {
			return nil, false // gob keeps nil apart from empty
		}
		return append(append(make([]byte, 0, 1+len(x)), tagBytes), x...), true
	}
	return nil, false
}

// decodeScalar decodes a fast-path value with the given tag into ptr, which
// must point to the same type that was encoded, or be an *any.
func decodeScalar(tag byte, data []byte, ptr any) error {
	v, err := scalarValue(tag, data)
	if err != nil {
		return err
	}
	if p, ok := ptr.(*any); ok {
		*p = v
		return nil
	}
	pv := reflect.ValueOf(ptr)
	if pv.Kind() != reflect.Pointer || pv.IsNil() || pv.Elem().Type() != reflect.TypeOf(v) {
		return fmt.Errorf("the data holds a %T", v)
	}
	pv.Elem().Set(reflect.ValueOf(v))
	return nil
}

// scalarValue decodes the value of a fast-path tag.
func scalarValue(tag byte, data []byte) (any, error) {
	switch tag {
	case tagInt, tagInt64, tagInt32:
		x, n := binary.Varint(data)
		if n <= 0 || n != len(data) {
			return nil, fmt.Errorf("bad varint")
		}
		switch {
		case tag == tagInt64:
			return x, nil
		case tag == tagInt32 && x == int64(int32(x)):
			return int32(x), nil
		case tag == tagInt && x == int64(int(x)):
			return int(x), nil
		}
		return nil, fmt.Errorf("integer %d overflows its type", x)
	case tagUint, tagUint64, tagUint32:
		x, n := binary.Uvarint(data)
		if n <= 0 || n != len(data) {
			return nil, fmt.Errorf("bad uvarint")
		}
		switch {
		case tag == tagUint64:
			return x, nil
		case tag == tagUint32 && x == uint64(uint32(x)):
			return uint32(x), nil
		case tag == tagUint && x == uint64(uint(x)):
			return uint(x), nil
		}
		return nil, fmt.Errorf("integer %d overflows its type", x)
	case tagBool:
		if len(data) != 1 || data[0] > 1 {
			return nil, fmt.Errorf("bad bool")
		}
		return data[0] == 1, nil
	case tagFloat64:
		if len(data) != 8 {
			return nil, fmt.Errorf("bad float64")
		}
		return math.Float64frombits(binary.BigEndian.Uint64(data)), nil
	case tagString:
		return string(data), nil
	case tagBytes:
		return append([]byte{}, data...), nil
	}
	return nil, fmt.Errorf("unknown encoding tag %d", tag)
}

// encodable caches checkEncodable's verdict per type.
var encodable sync.Map // reflect.Type → error (nil: fine)

// checkEncodable reports an exported func or chan anywhere in t. Gob drops
// such struct fields without a word, which would lose part of an argument
// on its way to a worker; a func or chan at the top level gob refuses anyway.
func checkEncodable(t reflect.Type) error {
	if t == nil {
		return nil // gob reports a nil value itself
	}
	if v, ok := encodable.Load(t); ok {
		err, _ := v.(error)
		return err
	}
	err := findUnencodable(t, "", map[reflect.Type]bool{})
	if err != nil {
		encodable.Store(t, err)
	} else {
		encodable.Store(t, nil)
	}
	return err
}

func findUnencodable(t reflect.Type, path string, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	if marshals(t) {
		return nil // it encodes itself
	}
	switch t.Kind() {
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		if path == "" {
			return fmt.Errorf("a %s cannot cross to another process", t)
		}
		return fmt.Errorf("field %s is a %s, which cannot cross to another process", path, t)
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return findUnencodable(t.Elem(), path, seen)
	case reflect.Map:
		if err := findUnencodable(t.Key(), path, seen); err != nil {
			return err
		}
		return findUnencodable(t.Elem(), path, seen)
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if err := findUnencodable(f.Type, joinPath(path, f.Name), seen); err != nil {
				return err
			}
		}
	}
	return nil
}

var (
	gobEncoderType      = reflect.TypeFor[gob.GobEncoder]()
	binaryMarshalerType = reflect.TypeFor[encoding.BinaryMarshaler]()
)

// marshals reports whether gob encodes t (or *t) with its own method.
func marshals(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return t.Implements(gobEncoderType) || t.Implements(binaryMarshalerType) ||
		pt.Implements(gobEncoderType) || pt.Implements(binaryMarshalerType)
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
