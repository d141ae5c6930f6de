package echo

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// histogram counts latencies in log-linear buckets: exact below 64ns, then
// 64 buckets per power of two (within 1.6%), so percentiles of any number of
// round trips take a fixed 30 KiB. It is safe for concurrent use.
type histogram struct {
	counts [histBuckets]atomic.Uint64
}

const (
	histSubBits = 6
	histSub     = 1 << histSubBits
	histBuckets = (64 - histSubBits + 1) * histSub
)

// bucketOf returns the bucket of v nanoseconds.
func bucketOf(v uint64) int {
	if v < histSub {
		return int(v)
	}
	shift := bits.Len64(v) - histSubBits - 1
	return (shift+1)*histSub + int(v>>shift) - histSub
}

// bucketValue returns the middle of bucket i, in nanoseconds.
func bucketValue(i int) uint64 {
	if i < histSub {
		return uint64(i)
	}
	shift := i/histSub - 1
	low := uint64(i%histSub+histSub) << shift
	return low + (uint64(1)<<shift)/2
}

func (h *histogram) record(d time.Duration) {
	h.counts[bucketOf(uint64(max(d, 0)))].Add(1)
}

// quantiles returns the latency at each of qs (0 < q <= 1), in order.
func (h *histogram) quantiles(qs ...float64) []time.Duration {
	var total uint64
	for i := range h.counts {
		total += h.counts[i].Load()
	}
	out := make([]time.Duration, len(qs))
	if total == 0 {
		return out
	}
	for j, q := range qs {
		rank := uint64(q*float64(total) + 0.5)
		rank = min(max(rank, 1), total)
		var seen uint64
		for i := range h.counts {
			seen += h.counts[i].Load()
			if seen >= rank {
				out[j] = time.Duration(bucketValue(i))
				break
			}
		}
	}
	return out
}
