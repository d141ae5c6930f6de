package executor

import (
	"encoding"
	"fmt"
	"reflect"
	"sync"

	"github.com/fxamacker/cbor/v2"
)

// Before the codec encodes a value, checkValue refuses what would not cross
// whole: a func or chan anywhere in its type, a struct with fields of which
// none crosses (none is exported, or each exported one stays behind), and a value nested too deep to decode, above all a
// cyclic one (n.Next = n), on which any encoder recurses until the stack
// overflows, a fatal error that kills the process.

// typeInfo is what checkValue knows of a type, worked out once.
type typeInfo struct {
	err error // why values of the type cannot cross; nil if they can
	// depth is the deepest nesting of any value of the type, or unbounded
	// if the type is recursive or holds an interface: then each value is
	// walked for its depth.
	depth int
}

const unbounded = -1

var typeInfos sync.Map // reflect.Type → *typeInfo

// checkValue reports why v cannot cross to another process, or nil.
func checkValue(v any) error {
	rv := reflect.ValueOf(v)
	info := infoOf(rv.Type())
	if info.err != nil {
		return info.err
	}
	if info.depth != unbounded && info.depth <= maxNesting {
		return nil
	}
	return checkDepth(rv, 0, 0)
}

func infoOf(t reflect.Type) *typeInfo {
	if v, ok := typeInfos.Load(t); ok {
		return v.(*typeInfo)
	}
	info := &typeInfo{err: findUnencodable(t, "", map[reflect.Type]bool{})}
	info.depth = typeDepth(t, map[reflect.Type]int{})
	typeInfos.Store(t, info)
	return info
}

// typeDepth is the deepest nesting of structs, maps, slices and arrays in a
// value of type t (as CBOR counts it: a pointer or interface adds no level,
// a value that encodes itself counts as none), or unbounded. done holds the
// depths of the types worked out so far, -2 for those being worked out.
func typeDepth(t reflect.Type, done map[reflect.Type]int) int {
	if d, ok := done[t]; ok {
		if d == inProgress {
			return unbounded // t contains itself
		}
		return d
	}
	done[t] = inProgress
	d := typeDepthOf(t, done)
	done[t] = d
	return d
}

const inProgress = -2

func typeDepthOf(t reflect.Type, done map[reflect.Type]int) int {
	if encodesItself(t) {
		return 0
	}
	switch t.Kind() {
	case reflect.Interface:
		return unbounded
	case reflect.Pointer:
		return typeDepth(t.Elem(), done)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return 0 // a byte string
		}
		return nest(typeDepth(t.Elem(), done))
	case reflect.Array:
		return nest(typeDepth(t.Elem(), done))
	case reflect.Map:
		return nest(deeper(typeDepth(t.Key(), done), typeDepth(t.Elem(), done)))
	case reflect.Struct:
		d := 0
		for i := range t.NumField() {
			if f := t.Field(i); (f.IsExported() || f.Anonymous) && crosses(f) {
				d = deeper(d, typeDepth(f.Type, done))
			}
		}
		return nest(d)
	}
	return 0
}

func nest(d int) int {
	if d == unbounded {
		return unbounded
	}
	return d + 1
}

func deeper(a, b int) int {
	if a == unbounded || b == unbounded {
		return unbounded
	}
	return max(a, b)
}

// errCyclic explains a value nested too deep.
func errCyclic(what string) error {
	return fmt.Errorf("%s: a cyclic value (such as a node whose Next points back to it) cannot cross to another process", what)
}

// checkDepth walks v, at depth levels of nesting after indirect pointers
// and interfaces in a row, and fails where it nests deeper than the decoder
// allows or where pointers go round in a loop. It skips what its type bounds.
func checkDepth(v reflect.Value, depth, indirect int) error {
	t := v.Type()
	if d := infoOf(t).depth; d != unbounded && depth+d <= maxNesting {
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if indirect++; indirect > maxIndirect {
			return errCyclic(fmt.Sprintf("more than %d pointers or interfaces in a row", maxIndirect))
		}
		return checkDepth(v.Elem(), depth, indirect)
	}
	if depth++; depth > maxNesting {
		return errCyclic(fmt.Sprintf("nested more than %d levels deep", maxNesting))
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := checkDepth(v.Index(i), depth, 0); err != nil {
				return err
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if err := checkDepth(it.Key(), depth, 0); err != nil {
				return err
			}
			if err := checkDepth(it.Value(), depth, 0); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); (f.IsExported() || f.Anonymous) && crosses(f) {
				if err := checkDepth(v.Field(i), depth, 0); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// findUnencodable reports an exported func or chan anywhere in t, which
// would cross as nothing or not at all, or a struct with fields of which
// none crosses (see findUnencodableField), which would cross as an empty
// struct.
func findUnencodable(t reflect.Type, path string, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	if encodesItself(t) {
		return nil
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
		return findUnencodableField(t, path, seen)
	}
	return nil
}

// findUnencodableField checks the fields of struct t that cross, and fails
// if t has fields of which none crosses: none is exported, or every exported
// one stays behind (see crosses).
func findUnencodableField(t reflect.Type, path string, seen map[reflect.Type]bool) error {
	crossing := false
	for i := range t.NumField() {
		f := t.Field(i)
		if (!f.IsExported() && !f.Anonymous) || !crosses(f) {
			continue
		}
		crossing = true
		if err := findUnencodable(f.Type, joinPath(path, f.Name), seen); err != nil {
			return err
		}
	}
	if !crossing && t.NumField() > 0 {
		const why = "has no exported field that crosses (one tagged `cbor:\"-\"`, or `json:\"-\"` and no cbor tag, stays behind), so none of it would cross to another process"
		if path == "" {
			return fmt.Errorf("%s %s", t, why)
		}
		return fmt.Errorf("field %s (%s) %s", path, t, why)
	}
	return nil
}

var (
	cborMarshalerType   = reflect.TypeFor[cbor.Marshaler]()
	binaryMarshalerType = reflect.TypeFor[encoding.BinaryMarshaler]()
)

// encodesItself reports whether CBOR encodes t with its own method
// (MarshalCBOR or MarshalBinary), as an opaque value.
func encodesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(cborMarshalerType) || pt.Implements(binaryMarshalerType)
}

// crosses reports whether CBOR encodes struct field f, as far as its tags
// say: its cbor tag, else its json tag, is not "-".
func crosses(f reflect.StructField) bool {
	tag := f.Tag.Get("cbor")
	if tag == "" {
		tag = f.Tag.Get("json")
	}
	return tag != "-"
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
