package main

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// sizeUnits are the suffixes parseSize accepts: decimal (KB, MB, GB) and
// binary (KiB, MiB, GiB; K, M, G mean the binary ones too).
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1},
}

// sizeNumber is the number before the unit: decimal digits with an
// optional fraction and exponent (no sign, no hex, no inf or nan).
var sizeNumber = regexp.MustCompile(`^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$`)

// maxSize is the largest size parseSize returns.
const maxSize = 1 << 62

// parseSize reads a byte size (--max-body) such as 512KiB, 10MiB, 1.5MB or
// 4096 (plain bytes), case-insensitive. It must be a whole number of bytes
// from 1 to 2^62: 0.1, 1e-300, 0.3KiB (307.2 bytes), nan and inf are errors.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	bad := func(why string) (int64, error) {
		return 0, fmt.Errorf("bad size %q: %s (want e.g. 512KiB, 10MiB, 1MB or a number of bytes)", s, why)
	}
	if !sizeNumber.MatchString(t) {
		return bad("not a number with an optional unit")
	}
	n, err := strconv.ParseFloat(t, 64)
	b := n * float64(mult)
	switch {
	case err != nil || b > maxSize:
		return bad("more than 2^62 bytes")
	case b < 1:
		return bad("less than one byte")
	case b != math.Trunc(b):
		return bad(fmt.Sprintf("%g bytes is not a whole number", b))
	}
	return int64(b), nil
}
