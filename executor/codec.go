package executor

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"

	"github.com/fxamacker/cbor/v2"
)

// The codec turns task arguments and results into bytes for the trip to and
// from a worker process, and back.
//
// The encoding was chosen by BenchmarkCodec (bench_processpool_test.go). The
// scalar types trivial tasks mostly pass take a tagged fast path: a few
// nanoseconds and 2-10 bytes. Everything else is CBOR (RFC 8949, with
// github.com/fxamacker/cbor, which Kubernetes adopted), 10 to 25 times faster
// than the gob it replaced for a small struct: a fresh gob stream per value
// must describe the value's type before the value, and the decoder compile
// that description, every time; a gob stream kept per worker would amortise
// that, but a value that fails to decode would poison the stream for every
// later call, and a handler decodes one value on its own. CBOR values stand
// alone, so one bad value fails one call. The first byte says which encoding
// follows.
//
// Before a value is encoded, its type is checked once (a func or chan cannot
// cross) and, if the type can nest without bound (it is recursive, or holds
// an interface), the value is checked for depth: a cyclic value, which no
// encoder can write out, fails with ErrEncode instead of overflowing the
// stack. The decoder is bounded the same way (maxNesting), and in the
// elements of an array or map (maxElements).
const (
	tagCBOR byte = iota
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
	tagNil // a nil pointer or interface
)

// The bounds of a value that crosses to or from a worker process.
const (
	// maxNesting is the deepest nesting of structs, maps, slices and arrays
	// in a value (as deep as encoding/json decodes).
	maxNesting = 10000
	// maxIndirect is the most pointers and interfaces in a row in a value:
	// more is a cycle of pointers.
	maxIndirect = 1000
	// maxElements is the most elements of one slice, array or map.
	maxElements = 1 << 26
)

// The CBOR modes: floats and times kept exactly, strings kept even when
// they are not UTF-8 (a Go string may hold any bytes), decoding bounded.
//
// What lands in an interface (a field of type any, say) decodes into the
// types a Go program expects of it, not CBOR's own: a map or struct as
// map[string]any (so a map with keys other than strings cannot land in an
// interface: its call fails with ErrEncode), a slice or array as []any, an
// integer as int64 (a *big.Int beyond int64), a float as float64, a time.Time
// as its RFC 3339 string. Struct fields are named by their cbor tag, else
// their json tag, so a field tagged `json:"-"` and not `cbor:"..."` does not
// cross (codec_check.go does not look at it either).
var (
	cborEnc = mustMode(cbor.EncOptions{
		NaNConvert: cbor.NaNConvertNone,
		Time:       cbor.TimeRFC3339Nano,
	}.EncMode())
	cborDec = mustMode(cbor.DecOptions{
		MaxNestedLevels:  maxNesting,
		MaxArrayElements: maxElements,
		MaxMapPairs:      maxElements,
		UTF8:             cbor.UTF8DecodeInvalid,
		DefaultMapType:   reflect.TypeFor[map[string]any](),
		IntDec:           cbor.IntDecConvertSignedOrBigInt,
		BigIntDec:        cbor.BigIntDecodePointer,
	}.DecMode())
)

func mustMode[M any](m M, err error) M {
	if err != nil {
		panic("executor: CBOR options: " + err.Error())
	}
	return m
}

// encodeValue encodes v for the trip to or from a worker process.
func encodeValue(v any) ([]byte, error) {
	if b, ok := encodeScalar(v); ok {
		return b, nil
	}
	if isNil(v) {
		return []byte{tagNil}, nil
	}
	if err := checkValue(v); err != nil {
		return nil, fmt.Errorf("%w %T: %w", ErrEncode, v, err)
	}
	return cborEncode(v)
}

// decodeValue decodes what encodeValue made into the value ptr points to.
func decodeValue(data []byte, ptr any) error {
	if len(data) == 0 {
		return fmt.Errorf("%w: decode into %T: no data", ErrEncode, ptr)
	}
	switch data[0] {
	case tagCBOR:
		return cborDecode(data[1:], ptr)
	case tagNil:
		return decodeNil(data[1:], ptr)
	}
	if err := decodeScalar(data[0], data[1:], ptr); err != nil {
		return fmt.Errorf("%w: decode into %T: %w", ErrEncode, ptr, err)
	}
	return nil
}

// isNil reports whether v is nil or a nil pointer: a task may well return
// a nil *T.
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

// cborEncode encodes v as CBOR, behind tagCBOR. A panic of the encoder
// (in a value's own MarshalCBOR or MarshalBinary, say) is an error too.
func cborEncode(v any) (_ []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w %T: %v", ErrEncode, v, r)
		}
	}()
	buf := bytes.NewBuffer(make([]byte, 1, 128))
	buf.Bytes()[0] = tagCBOR
	if err := cborEnc.NewEncoder(buf).Encode(v); err != nil {
		return nil, fmt.Errorf("%w %T: %w", ErrEncode, v, err)
	}
	return buf.Bytes(), nil
}

// cborDecode decodes one CBOR value made by cborEncode (without its tag);
// bytes after it are an error.
func cborDecode(data []byte, ptr any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: decode into %T: %v", ErrEncode, ptr, r)
		}
	}()
	if err := cborDec.Unmarshal(data, ptr); err != nil {
		return fmt.Errorf("%w: decode into %T: %w", ErrEncode, ptr, err)
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
			return nil, false // CBOR keeps nil apart from empty
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
