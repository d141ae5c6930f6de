package main

import "testing"

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"512KiB": 512 << 10, "10MiB": 10 << 20, "1MB": 1e6, "4096": 4096, "1.5k": 1536, "2 GiB": 2 << 30,
		"1e3": 1000, ".5KiB": 512, "1.": 1, "4611686018427387904": 1 << 62, "4GiB": 4 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "0", "10XB", "MiB", "0.1", "1e-300", "nan", "NaN", "inf", "-Inf", "infinity",
		"0.3KiB", "1.5", "0x10", "0x1p4", "1e300", "8EiB", "5e18", "4294967297GiB", "+5", "1_000", "1..2"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}
