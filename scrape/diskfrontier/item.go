package diskfrontier

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// Item is one URL in the frontier.
type Item struct {
	URL       string    // the canonical URL: the dedupe key
	Depth     int       // link hops from a start URL
	Referrer  string    // the page the link was found on; empty for start URLs
	Attempt   int       // fetches already tried (set by Retry; not stored)
	NotBefore time.Time // not to be handed out before (set by Retry; not stored)
}

// Outcome is what became of a fetched URL.
type Outcome byte

// The outcomes Ack records.
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

// keyLen is the length of a queue key: depth (4 bytes) + sequence (8 bytes).
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

func keyDepth(k []byte) int {
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
func encodeItem(it Item) []byte {
	b := binary.AppendUvarint(nil, uint64(len(it.URL)))
	b = append(b, it.URL...)
	return append(b, it.Referrer...)
}

var errCorrupt = errors.New("corrupt queue entry")

func decodeItem(k, v []byte) (Item, error) {
	n, w := binary.Uvarint(v)
	if w <= 0 || uint64(len(v)-w) < n || len(k) != keyLen {
		return Item{}, fmt.Errorf("%w: key %x", errCorrupt, k)
	}
	return Item{
		URL:      string(v[w : w+int(n)]),
		Referrer: string(v[w+int(n):]),
		Depth:    keyDepth(k),
	}, nil
}
