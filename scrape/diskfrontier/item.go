package diskfrontier

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/poolscrape/poolscrape/scrape"
)

// A request's URL is the dedupe key; the file stores its URL, depth and
// referrer. Its Attempt and NotBefore, set by Retry, are kept in memory
// only: a URL waiting for a retry when the process dies is fetched afresh.

// Outcome is what became of a fetched URL.
type Outcome byte

// The outcomes AckAs records (Ack records Done).
const (
	Done   Outcome = 'd' // fetched, its record written
	Failed Outcome = 'f' // failed for good, its error record written
)

// A URL's state in the seen bucket: queued (in queue or leased), seen only
// (MarkSeen), or its outcome.
const (
	stateQueued byte = 'q'
	stateMarked byte = 'm'
)

// keyLen is the length of a queue key: depth (4 bytes) + sequence (8
// bytes); or, in a depth-first (scrape.OrderDepth) state, a zero byte, the
// sequence's complement (7 bytes) and the depth (4 bytes). The first byte
// tells the two apart: a depth below 2^24 puts 0x80 there.
const keyLen = 12

// seenKey is the seen bucket's key for a URL: 16 bytes of its SHA-256.
func seenKey(url string) []byte {
	h := sha256.Sum256([]byte(url))
	return h[:16]
}

// queueKey orders the queue by depth, then by arrival.
func queueKey(depth int, seq uint64) []byte {
	k := make([]byte, keyLen)
	binary.BigEndian.PutUint32(k, uint32(int64(depth)-math.MinInt32))
	binary.BigEndian.PutUint64(k[4:], seq)
	return k
}

// stackKey orders the queue newest first (scrape.OrderDepth); see keyLen.
func stackKey(depth int, seq uint64) []byte {
	k := make([]byte, keyLen)
	binary.BigEndian.PutUint64(k, ^seq&(1<<56-1))
	binary.BigEndian.PutUint32(k[8:], uint32(int64(depth)-math.MinInt32))
	return k
}

func keyDepth(k []byte) int {
	if k[0] == 0 {
		return int(int64(binary.BigEndian.Uint32(k[8:])) + math.MinInt32)
	}
	return int(int64(binary.BigEndian.Uint32(k)) + math.MinInt32)
}

// seenValue is a state byte followed by the queue key.
func seenValue(state byte, qkey []byte) []byte {
	v := make([]byte, 1+keyLen)
	v[0] = state
	copy(v[1:], qkey)
	return v
}

// encodeItem stores the URL and referrer (the depth is in the key).
func encodeItem(r scrape.Request) []byte {
	b := binary.AppendUvarint(nil, uint64(len(r.URL)))
	b = append(b, r.URL...)
	return append(b, r.Referrer...)
}

var errCorrupt = errors.New("corrupt queue entry")

func decodeItem(k, v []byte) (scrape.Request, error) {
	n, w := binary.Uvarint(v)
	if w <= 0 || uint64(len(v)-w) < n || len(k) != keyLen {
		return scrape.Request{}, fmt.Errorf("%w: key %x", errCorrupt, k)
	}
	return scrape.Request{
		URL:      string(v[w : w+int(n)]),
		Referrer: string(v[w+int(n):]),
		Depth:    keyDepth(k),
	}, nil
}
