package diskfrontier

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/resume"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// The Frontier is the crawler's frontier itself: no adapter between them.
var (
	_ scrape.Frontier  = (*Frontier)(nil)
	_ scrape.Releaser  = (*Frontier)(nil)
	_ scrape.FailAcker = (*Frontier)(nil)
)

// FileName is the bbolt file inside the state folder.
const FileName = "frontier.db"

// Errors callers branch on, always wrapped in an error that starts with
// "diskfrontier: " and names the state file. Pop's are scrape's:
// scrape.ErrDrained and scrape.ErrNoneReady.
var (
	// ErrLocked: another process has the state folder open.
	ErrLocked = errors.New("state folder is in use by another process")
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
	keyOpens     = []byte("opens")
)

// Frontier is the on-disk frontier: a scrape.Frontier and a
// scrape.Releaser (set it as scrape.Config.Frontier). Its methods are safe
// for concurrent use.
type Frontier struct {
	db   *bolt.DB
	path string
	cfg  Config
	lifo bool // the identity's order is scrape.OrderDepth: newest first

	mu       sync.Mutex
	disk     counters         // what the file holds, written with every transaction
	buf      []entry          // leased on disk, not yet handed out by Pop
	out      map[string]entry // handed out by Pop, not yet acked
	nextID   uint64           // the last lease ID handed out (see nextLeaseIDs)
	acks     []pending        // acked in memory, written with the next transaction
	requeued int              // leased URLs moved back to the queue by Open
	lastSync time.Time
	closed   bool
}

// entry is a queue key and its request.
type entry struct {
	key []byte
	req scrape.Request
	id  uint64 // lease ID once handed out
}

// pending is an Ack not yet written.
type pending struct {
	url     string
	outcome Outcome
	depth   int // of its queue key
}

// Open opens (creating it if need be) the state folder dir for the crawl
// with identity id (see resume.IdentityOf), tuned by cfg. A folder made by
// a crawl with another identity is refused with a *resume.IdentityError
// (errors.Is resume.ErrIdentityMismatch); one held by another process with
// ErrLocked. URLs that were leased when the folder was last closed, or when
// its process died, go back to the queue (Requeued says how many), and the
// redirect targets their leases claimed (see MarkSeen) are unmarked, in the
// same transaction.
func Open(dir string, id resume.Identity, cfg Config) (*Frontier, error) {
	cfg = cfg.withDefaults()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("diskfrontier: creating state folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        cfg.LockTimeout,
		NoSync:         true,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("diskfrontier: opening %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("diskfrontier: opening state file %s: %w", path, err)
	}
	f := &Frontier{db: db, path: path, cfg: cfg, lastSync: time.Now(), out: map[string]entry{},
		lifo: id.Order() == scrape.OrderDepth}
	if err := db.Update(func(tx *bolt.Tx) error { return f.init(tx, dir, id) }); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Sync(); err != nil {
		db.Close()
		return nil, fmt.Errorf("diskfrontier: syncing %s: %w", path, err)
	}
	return f, nil
}

// init creates the buckets, checks or stores the identity, loads the
// counters and moves leased URLs back to the queue, undoing their redirect
// claims.
func (f *Frontier) init(tx *bolt.Tx, dir string, id resume.Identity) error {
	for _, name := range [][]byte{bucketMeta, bucketSeen, bucketQueue, bucketLeased, bucketClaims} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("diskfrontier: creating bucket %s in %s: %w", name, f.path, err)
		}
	}
	if err := checkIdentity(tx.Bucket(bucketMeta), dir, id); err != nil {
		return fmt.Errorf("diskfrontier: %w", err)
	}
	c, err := loadCounters(tx.Bucket(bucketMeta))
	if err != nil {
		return fmt.Errorf("diskfrontier: %s: %w", f.path, err)
	}
	f.disk = c.clone()
	if f.nextID, err = nextLeaseIDs(tx.Bucket(bucketMeta)); err != nil {
		return fmt.Errorf("diskfrontier: %s: %w", f.path, err)
	}
	n, unmarked, err := requeueLeased(tx)
	if err != nil {
		return fmt.Errorf("diskfrontier: %s: %w", f.path, err)
	}
	f.requeued = n
	f.disk.Queued += int64(n)
	f.disk.Leased -= int64(n)
	f.disk.Seen -= int64(unmarked)
	if err := f.disk.store(tx.Bucket(bucketMeta)); err != nil {
		return fmt.Errorf("diskfrontier: storing the counters in %s: %w", f.path, err)
	}
	return nil
}

// nextLeaseIDs counts this Open in meta and returns where its lease IDs
// start: the Open's number in the high 32 bits, so that a lease of an
// earlier Open (in this process or another) never has the ID of one of
// this Open's, whose end it could otherwise be taken for.
func nextLeaseIDs(meta *bolt.Bucket) (uint64, error) {
	var opens uint64
	if b := meta.Get(keyOpens); len(b) == 8 {
		opens = binary.BigEndian.Uint64(b)
	}
	opens++
	if err := meta.Put(keyOpens, binary.BigEndian.AppendUint64(nil, opens)); err != nil {
		return 0, fmt.Errorf("counting the opens: %w", err)
	}
	return opens << 32, nil
}

// checkIdentity stores id in a new folder, or compares it with the stored one.
func checkIdentity(meta *bolt.Bucket, dir string, id resume.Identity) error {
	stored := meta.Get(keyIdentity)
	if stored == nil {
		b, err := id.Encode()
		if err != nil {
			return err
		}
		return meta.Put(keyIdentity, b)
	}
	have, err := resume.Decode(stored)
	if err != nil {
		return fmt.Errorf("state folder %s: %w", dir, err)
	}
	return resume.Check("state folder "+dir, have, id)
}

// requeueLeased moves every leased key back to the queue, keeping its key
// and so its place, and unmarks the redirect targets its lease claimed
// (see undoClaims), so that the next fetch follows the redirect again. It
// returns how many keys it moved and how many targets it unmarked.
func requeueLeased(tx *bolt.Tx) (moved, unmarked int, err error) {
	leased, queue := tx.Bucket(bucketLeased), tx.Bucket(bucketQueue)
	var keys, vals [][]byte
	err = leased.ForEach(func(k, v []byte) error {
		keys = append(keys, append([]byte(nil), k...))
		vals = append(vals, append([]byte(nil), v...))
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	for i, k := range keys {
		r, err := decodeItem(k, vals[i])
		if err != nil {
			return 0, 0, err
		}
		n, err := undoClaims(tx, ownerKey(r.URL))
		if err != nil {
			return 0, 0, fmt.Errorf("undoing the redirect claims of %s: %w", r.URL, err)
		}
		unmarked += n
		if err := queue.Put(k, vals[i]); err != nil {
			return 0, 0, err
		}
		if err := leased.Delete(k); err != nil {
			return 0, 0, err
		}
	}
	return len(keys), unmarked, nil
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
		return f.errClosed()
	}
	return f.syncLocked()
}

// errClosed is ErrClosed, wrapped to name the file.
func (f *Frontier) errClosed() error {
	return fmt.Errorf("diskfrontier: %s: %w", f.path, ErrClosed)
}

func (f *Frontier) syncLocked() error {
	if len(f.acks) > 0 {
		if err := f.flushAcksLocked(); err != nil {
			return err
		}
	}
	f.lastSync = time.Now()
	if err := f.db.Sync(); err != nil {
		return fmt.Errorf("diskfrontier: syncing %s: %w", f.path, err)
	}
	return nil
}

// maybeSync fsyncs when SyncInterval has passed since the last sync.
func (f *Frontier) maybeSync() error {
	if time.Since(f.lastSync) < f.cfg.SyncInterval {
		return nil
	}
	return f.syncLocked()
}

// Close writes pending acks, fsyncs and closes the file. Leased URLs stay
// leased on disk and go back to the queue at the next Open. Closing twice
// is harmless. The context is unused: the work is local and bounded.
func (f *Frontier) Close(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	err := f.syncLocked()
	if cerr := f.db.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("diskfrontier: closing %s: %w", f.path, cerr)
	}
	return err
}
