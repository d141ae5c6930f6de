package scrape

import (
	"fmt"
	"strconv"
	"strings"
)

// sizeUnits are the suffixes ParseSize accepts: decimal (KB, MB, GB) and
// binary (KiB, MiB, GiB; K, M, G mean the binary ones too).
var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1},
}

// ParseSize reads a byte size such as 512KiB, 10MiB, 1MB or 4096 (plain
// bytes), case-insensitive. It must be positive.
func ParseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(t, 64)
	if err != nil || n <= 0 || n*float64(mult) > float64(1<<62) {
		return 0, fmt.Errorf("scrape: bad size %q (want e.g. 512KiB, 10MiB, 1MB or a number of bytes)", s)
	}
	return int64(n * float64(mult)), nil
}
