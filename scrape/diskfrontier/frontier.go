package diskfrontier

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// FileName is the bbolt file inside the state folder.
const FileName = "frontier.db"

// Errors callers branch on.
var (
	// ErrLocked: another process has the state folder open.
	ErrLocked = errors.New("state folder is in use by another process")
	// ErrEmpty: nothing is queued or leased: the crawl is over.
	ErrEmpty = errors.New("frontier is empty")
	// ErrNotReady: URLs are queued or leased, but none may start now.
	ErrNotReady = errors.New("no URL ready")
	// ErrClosed: the frontier was closed.
	ErrClosed = errors.New("frontier is closed")
)

var (
	bucketMeta   = []byte("meta")
	bucketSeen   = []byte("seen")
	bucketQueue  = []byte("queue")
	bucketLeased = []byte("leased")
	keyIdentity  = []byte("identity")
	keyCounters  = []byte("counters")
)

// Frontier is the on-disk frontier. Its methods are safe for concurrent use.
type Frontier struct {
	db   *bolt.DB
	path string
	opts options

	mu       sync.Mutex
	disk     counters         // what the file holds, written with every transaction
	buf      []entry          // leased on disk, not yet handed out by Pop
	out      map[string]entry // handed out by Pop, not yet acked
	nextID   uint64           // lease IDs handed out
	acks     []pending        // acked in memory, written with the next transaction
	requeued int              // leased URLs moved back to the queue by Open
	lastSync time.Time
	closed   bool
}

// entry is a queue key and its item.
type entry struct {
	key  []byte
	item Item
	id   uint64 // lease ID once handed out
}

// pending is an Ack not yet written.
type pending struct {
	url     string
	outcome Outcome
	depth   int // of its queue key (noDepth: unknown)
}

const noDepth = -1 << 31

// Open opens (creating it if need be) the state folder dir for the crawl
// with identity id. A folder made by a crawl with another identity is
// refused with an *IdentityError; one held by another process with
// ErrLocked. URLs that were leased when the folder was last closed, or when
// its process died, go back to the queue (Requeued says how many).
func Open(dir string, id Identity, opts ...Option) (*Frontier, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating state folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        o.lockTimeout,
		NoSync:         true,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("opening %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("opening state file %s: %w", path, err)
	}
	f := &Frontier{db: db, path: path, opts: o, lastSync: time.Now(), out: map[string]entry{}}
	if err := db.Update(func(tx *bolt.Tx) error { return f.init(tx, dir, id) }); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Sync(); err != nil {
		db.Close()
		return nil, fmt.Errorf("syncing %s: %w", path, err)
	}
	return f, nil
}

// init creates the buckets, checks or stores the identity, loads the
// counters and moves leased URLs back to the queue.
func (f *Frontier) init(tx *bolt.Tx, dir string, id Identity) error {
	for _, name := range [][]byte{bucketMeta, bucketSeen, bucketQueue, bucketLeased} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("creating bucket %s in %s: %w", name, f.path, err)
		}
	}
	if err := checkIdentity(tx.Bucket(bucketMeta), dir, id); err != nil {
		return err
	}
	c, err := loadCounters(tx.Bucket(bucketMeta))
	if err != nil {
		return fmt.Errorf("%s: %w", f.path, err)
	}
	f.disk = c.clone()
	n, err := requeueLeased(tx)
	if err != nil {
		return fmt.Errorf("%s: %w", f.path, err)
	}
	f.requeued = n
	f.disk.Queued += int64(n)
	f.disk.Leased -= int64(n)
	return f.disk.store(tx.Bucket(bucketMeta))
}

// checkIdentity stores id in a new folder, or compares it with the stored one.
func checkIdentity(meta *bolt.Bucket, dir string, id Identity) error {
	stored := meta.Get(keyIdentity)
	if stored == nil {
		b, err := id.encode()
		if err != nil {
			return fmt.Errorf("encoding crawl identity: %w", err)
		}
		return meta.Put(keyIdentity, b)
	}
	have, err := decodeIdentity(stored)
	if err != nil {
		return fmt.Errorf("state folder %s: %w", dir, err)
	}
	if diffs := have.Diff(id); len(diffs) > 0 {
		return &IdentityError{Where: "state folder " + dir, Diffs: diffs}
	}
	return nil
}

// requeueLeased moves every leased key back to the queue, keeping its key
// and so its place.
func requeueLeased(tx *bolt.Tx) (int, error) {
	leased, queue := tx.Bucket(bucketLeased), tx.Bucket(bucketQueue)
	var keys, vals [][]byte
	err := leased.ForEach(func(k, v []byte) error {
		keys = append(keys, append([]byte(nil), k...))
		vals = append(vals, append([]byte(nil), v...))
		return nil
	})
	if err != nil {
		return 0, err
	}
	for i, k := range keys {
		if err := queue.Put(k, vals[i]); err != nil {
			return 0, err
		}
		if err := leased.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(keys), nil
}

// Requeued is how many URLs Open found leased (in flight when the folder was
// last used) and put back in the queue.
func (f *Frontier) Requeued() int { return f.requeued }

// Path is the bbolt file's path.
func (f *Frontier) Path() string { return f.path }

// Sync writes pending acks and fsyncs the file.
func (f *Frontier) Sync() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return ErrClosed
	}
	return f.syncLocked()
}

func (f *Frontier) syncLocked() error {
	if len(f.acks) > 0 {
		if err := f.flushAcksLocked(); err != nil {
			return err
		}
	}
	f.lastSync = time.Now()
	if err := f.db.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", f.path, err)
	}
	return nil
}

// maybeSync fsyncs when SyncInterval has passed since the last sync.
func (f *Frontier) maybeSync() error {
	if time.Since(f.lastSync) < f.opts.syncInterval {
		return nil
	}
	return f.syncLocked()
}

// Close writes pending acks, fsyncs and closes the file. Leased URLs stay
// leased on disk and go back to the queue at the next Open.
func (f *Frontier) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	err := f.syncLocked()
	if cerr := f.db.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("closing %s: %w", f.path, cerr)
	}
	return err
}
