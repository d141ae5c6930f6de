package executor

import (
	"context"
	"errors"
	"math"
	"math/big"
	"reflect"
	"testing"
	"time"
)

type codecAny struct {
	V any
	L []any
}

// A value in an interface decodes into the types a Go program expects of
// it: maps and structs as map[string]any, integers as int64 (*big.Int beyond
// it), not CBOR's map[any]any and uint64.
func TestCodecInterfaceFieldsDecodeToGoTypes(t *testing.T) {
	when := time.Date(2026, 12, 1, 9, 30, 0, 5, time.UTC)
	cases := []struct {
		name     string
		sent     any
		received any
	}{
		{"int", 5, int64(5)},
		{"negative int", -3, int64(-3)},
		{"uint8", uint8(7), int64(7)},
		{"uint64 beyond int64", uint64(math.MaxUint64), new(big.Int).SetUint64(math.MaxUint64)},
		{"float32", float32(1.5), 1.5},
		{"string", "s", "s"},
		{"bool", true, true},
		{"nil", nil, nil},
		{"bytes", []byte{1, 2}, []byte{1, 2}},
		{"time", when, when.Format(time.RFC3339Nano)},
		{"map", map[string]int{"a": 1}, map[string]any{"a": int64(1)}},
		{"struct", struct{ X, Y int }{1, 2}, map[string]any{"X": int64(1), "Y": int64(2)}},
		{"slice", []int{1, 2}, []any{int64(1), int64(2)}},
		{"nested", []any{map[string]any{"k": []string{"v"}}}, []any{map[string]any{"k": []any{"v"}}}},
	}
	for _, c := range cases {
		data, err := encodeValue(codecAny{V: c.sent, L: []any{c.sent}})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got codecAny
		if err := decodeValue(data, &got); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !reflect.DeepEqual(got.V, c.received) || !reflect.DeepEqual(got.L, []any{c.received}) {
			t.Errorf("%s: %#v came back as %#v and %#v, want %#v (%T)", c.name, c.sent, got.V, got.L, c.received, c.received)
		}
	}
}

// A map whose keys are not strings cannot land in an interface, which
// decodes maps as map[string]any: that call fails with ErrEncode rather than
// handing the task a map of another type.
func TestCodecInterfaceMapWithOtherKeysFails(t *testing.T) {
	data, err := encodeValue(codecAny{V: map[int]string{1: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	var got codecAny
	if err := decodeValue(data, &got); !errors.Is(err, ErrEncode) {
		t.Errorf("a map[int]string in an interface decoded to %#v, %v; want ErrEncode", got.V, err)
	}
	// In a field of its own type it crosses.
	type typed struct{ M map[int]string }
	data, err = encodeValue(typed{M: map[int]string{1: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	var tg typed
	if err := decodeValue(data, &tg); err != nil || tg.M[1] != "a" {
		t.Errorf("a map[int]string field: %#v, %v", tg, err)
	}
}

type codecTagged struct {
	Shown  int
	Hidden int      `json:"-"`
	Kept   int      `cbor:"Kept" json:"-"`
	Named  int      `json:"n"`
	Hook   func()   `json:"-"`
	Ch     chan int `cbor:"-"`
}

// Struct fields are named by their cbor tag, else their json tag: a field
// tagged `json:"-"` without a cbor tag of its own stays behind (it arrives as
// its zero value), one that has a cbor tag crosses, and a func or chan field
// that stays behind does not stop its struct from crossing.
func TestCodecJSONDashFieldStaysBehind(t *testing.T) {
	v := codecTagged{Shown: 1, Hidden: 2, Kept: 3, Named: 4, Hook: func() {}, Ch: make(chan int)}
	data, err := encodeValue(v)
	if err != nil {
		t.Fatal(err)
	}
	var got codecTagged
	if err := decodeValue(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Shown != 1 || got.Hidden != 0 || got.Kept != 3 || got.Named != 4 || got.Hook != nil || got.Ch != nil {
		t.Errorf("%+v came back as %+v, want Hidden, Hook and Ch left behind, the rest crossed", v, got)
	}
	var m map[string]any
	if err := decodeValue(data, &m); err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"Shown": int64(1), "Kept": int64(3), "n": int64(4)}; !reflect.DeepEqual(m, want) {
		t.Errorf("encoded as %v, want %v", m, want)
	}
}

// codecEchoAny returns its argument, which crossed to the worker and crosses
// back.
var codecEchoAny = Register("codec.echoany", func(_ context.Context, v codecAny) (codecAny, error) {
	return v, nil
})

// The same through a worker process, both ways.
func TestProcessPoolInterfaceFieldCrosses(t *testing.T) {
	p, err := NewProcessPool(1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	got, err := Call(p, codecEchoAny, codecAny{V: map[string]int{"a": 1}, L: []any{uint16(2)}}).Result(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (codecAny{V: map[string]any{"a": int64(1)}, L: []any{int64(2)}}); !reflect.DeepEqual(got, want) {
		t.Errorf("came back as %#v, want %#v", got, want)
	}
}
