package executor

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

type codecInner struct {
	When  time.Time
	Bytes []byte
	Nums  [3]int
}

type codecEmbedded struct{ Kind string }

type codecOuter struct {
	codecEmbedded
	Name   string
	Ptr    *codecInner
	Nil    []string
	Empty  []string
	ByKey  map[[2]int]string
	Max    uint64
	Min    int64
	Weight float64
}

// Values CBOR must carry exactly as gob did: times to the nanosecond with
// their offset, strings that are not UTF-8, nil apart from empty, struct map
// keys, the integer extremes, and embedded structs.
func TestCodecRoundTripStructs(t *testing.T) {
	when := time.Date(2026, 12, 1, 9, 30, 0, 123456789, time.FixedZone("X", 3600))
	v := codecOuter{
		codecEmbedded: codecEmbedded{Kind: "k"},
		Name:          "bad utf-8: \xff\xfe",
		Ptr:           &codecInner{When: when, Bytes: []byte{0, 1, 2}, Nums: [3]int{-1, 0, 1}},
		Empty:         []string{},
		ByKey:         map[[2]int]string{{1, 2}: "a"},
		Max:           math.MaxUint64,
		Min:           math.MinInt64,
		Weight:        math.Copysign(0, -1),
	}
	data, err := encodeValue(v)
	if err != nil {
		t.Fatal(err)
	}
	var got codecOuter
	if err := decodeValue(data, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Ptr.When.Equal(when) || got.Ptr.When.Format(time.RFC3339Nano) != when.Format(time.RFC3339Nano) {
		t.Errorf("time %v came back as %v", when, got.Ptr.When)
	}
	got.Ptr.When, v.Ptr.When = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, v) || got.Nil != nil || got.Empty == nil || !math.Signbit(got.Weight) {
		t.Errorf("round trip of %#v gave %#v", v, got)
	}
	nan := math.Float64frombits(0x7ff8000000000abc)
	data, _ = encodeValue([]float64{nan})
	var nans []float64
	if err := decodeValue(data, &nans); err != nil || math.Float64bits(nans[0]) != math.Float64bits(nan) {
		t.Errorf("NaN %x came back as %v, %v", math.Float64bits(nan), nans, err)
	}
}

// What cannot cross whole fails with ErrEncode, at the sender or the
// receiver, and never panics or allocates what the data only announces.
func TestCodecRefuses(t *testing.T) {
	type onlyHidden struct{ a, b int }
	if _, err := encodeValue(onlyHidden{1, 2}); !errors.Is(err, ErrEncode) {
		t.Errorf("a struct with no exported fields: %v, want ErrEncode", err)
	}
	type onlyStaysBehind struct {
		A int `cbor:"-"`
		B int `json:"-"`
		c int
	}
	if _, err := encodeValue(onlyStaysBehind{1, 2, 3}); !errors.Is(err, ErrEncode) {
		t.Errorf("a struct whose exported fields all stay behind: %v, want ErrEncode", err)
	}
	type holdsOne struct{ In onlyStaysBehind }
	if _, err := encodeValue(holdsOne{}); !errors.Is(err, ErrEncode) || !strings.Contains(err.Error(), "field In") {
		t.Errorf("a field whose exported fields all stay behind: %v, want ErrEncode naming field In", err)
	}
	type oneCrosses struct {
		A int `json:"-"`
		B int `json:"-" cbor:"B"`
	}
	if _, err := encodeValue(oneCrosses{1, 2}); err != nil {
		t.Errorf("a struct with one field that crosses: %v", err)
	}
	deep := append(bytes.Repeat([]byte{0x81}, maxNesting+1), 0) // [[[...[0]...]]]
	huge := []byte{0x9a, 0x7f, 0xff, 0xff, 0xff, 0}             // an array announcing 2^31-1 elements
	cases := map[string][]byte{
		"garbage":           {tagCBOR, 0xff, 0x00},
		"trailing bytes":    {tagCBOR, 0x01, 0x02},
		"nested too deep":   append([]byte{tagCBOR}, deep...),
		"announces 2^31-1":  append([]byte{tagCBOR}, huge...),
		"a string for int":  {tagCBOR, 0x61, 'x'},
		"truncated":         {tagCBOR, 0x82, 0x01},
		"unknown tag":       {200},
		"nil into a struct": {tagNil},
	}
	for name, data := range cases {
		var v any
		var n codecOuter
		err1, err2 := decodeValue(data, &v), decodeValue(data, &n)
		if !errors.Is(err1, ErrEncode) && !errors.Is(err2, ErrEncode) || err2 == nil {
			t.Errorf("%s: into *any: %v, into a struct: %v; want ErrEncode", name, err1, err2)
		}
	}
}

// FuzzDecodeValue feeds arbitrary payloads to the decoder: it must never
// panic, and it fails only with ErrEncode.
func FuzzDecodeValue(f *testing.F) {
	for _, v := range []any{1, "s", benchItem{ID: 1, Name: "n", Tags: []string{"t"}}, map[string]any{"k": []any{1.5, nil}}} {
		data, _ := encodeValue(v)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		targets := []any{new(any), new(benchItem), new(codecOuter), new([]string), new(map[string]int), new(int)}
		for _, ptr := range targets {
			if err := decodeValue(data, ptr); err != nil && !errors.Is(err, ErrEncode) {
				t.Fatalf("decode into %T: %v, want nil or ErrEncode", ptr, err)
			}
		}
	})
}
