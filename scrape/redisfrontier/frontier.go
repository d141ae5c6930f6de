package redisfrontier

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/poolscrape/poolscrape/scrape/resume"
	"github.com/redis/go-redis/v9"
)

// Identity names a crawl by its settings; a job remembers the identity of
// the crawl that seeded it and refuses another (see resume.Identity).
type Identity = resume.Identity

// ErrIdentityMismatch: the job was seeded by a crawl with other settings.
var ErrIdentityMismatch = resume.ErrIdentityMismatch

// Options tune a Frontier; the zero value is the defaults.
type Options struct {
	LeaseTimeout time.Duration   // a lease not renewed for this long is handed out again [30s]
	MaxOutage    time.Duration   // how long calls retry while Redis is unreachable [1m]
	ScanLimit    int             // queue entries one Pop looks at [512]
	Process      string          // this process's name in the job [host-pid-random]
	OnRetry      func(err error) // told of each retried Redis error (optional)
}

func (o *Options) fill() {
	if o.LeaseTimeout <= 0 {
		o.LeaseTimeout = 30 * time.Second
	}
	if o.MaxOutage <= 0 {
		o.MaxOutage = time.Minute
	}
	if o.ScanLimit <= 0 {
		o.ScanLimit = 512
	}
	if o.Process == "" {
		host, _ := os.Hostname()
		var b [3]byte
		rand.Read(b[:])
		o.Process = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
}

// Frontier is one process's handle on a shared job. Safe for concurrent
// use. Close it to stop the lease renewal and give back unfinished leases.
type Frontier struct {
	rdb    redis.UniversalClient
	job    string
	prefix string
	opts   Options

	mu    sync.Mutex
	held  map[string]struct{} // URLs this process has leased
	gates []*Gate

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// Prefix is the key prefix of a job.
func Prefix(job string) string { return "poolscrape:{" + job + "}:" }

// Open joins job (creating it if it does not exist) with identity id, and
// starts renewing this process's leases. A job made by a crawl with another
// identity is refused with a *diskfrontier.IdentityError.
func Open(ctx context.Context, rdb redis.UniversalClient, job string, id Identity, opts Options) (*Frontier, error) {
	if job == "" {
		return nil, errors.New("redis frontier: empty job name")
	}
	opts.fill()
	f := &Frontier{rdb: rdb, job: job, prefix: Prefix(job), opts: opts,
		held: map[string]struct{}{}, stop: make(chan struct{}), done: make(chan struct{})}
	if err := f.checkIdentity(ctx, id); err != nil {
		return nil, err
	}
	if _, err := f.run(ctx, "registering process", renewScript, f.opts.Process, ms(f.opts.LeaseTimeout), ms(f.heartbeatWindow())); err != nil {
		return nil, err
	}
	go f.renewLoop()
	return f, nil
}

// checkIdentity stores id in a new job or compares it with the stored one.
func (f *Frontier) checkIdentity(ctx context.Context, id Identity) error {
	raw, err := jsonIdentity(id)
	if err != nil {
		return err
	}
	v, err := f.run(ctx, "checking the job's identity", identityScript, raw)
	if err != nil {
		return err
	}
	var stored Identity
	if err := decodeJSON(asString(v), &stored); err != nil {
		return fmt.Errorf("job %s: decoding its stored identity: %w", f.job, err)
	}
	if diffs := stored.Diff(id); len(diffs) > 0 {
		return &resume.IdentityError{Where: "redis job " + f.job, Diffs: diffs}
	}
	return nil
}

// identityScript: ARGV[2] identity JSON. Stores it (and the start time) if
// the job is new; returns the stored identity.
var identityScript = redis.NewScript(prelude + `
redis.call('HSETNX', p..'meta', 'identity', ARGV[2])
redis.call('HSETNX', p..'meta', 'started', now)
return redis.call('HGET', p..'meta', 'identity')
`)

// Job is the job's name.
func (f *Frontier) Job() string { return f.job }

// Process is this process's name in the job.
func (f *Frontier) Process() string { return f.opts.Process }

func (f *Frontier) heartbeatWindow() time.Duration { return 3 * f.opts.LeaseTimeout }

func ms(d time.Duration) int64 { return d.Milliseconds() }

// renewLoop renews leases and host slots every third of the lease timeout.
func (f *Frontier) renewLoop() {
	defer close(f.done)
	tick := time.NewTicker(f.opts.LeaseTimeout / 3)
	defer tick.Stop()
	for {
		select {
		case <-f.stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), f.opts.LeaseTimeout/3)
			f.renew(ctx)
			cancel()
		}
	}
}

// renew extends this process's leases and slots; failures are left to the
// lease timeout (the leases are handed out again elsewhere).
func (f *Frontier) renew(ctx context.Context) {
	f.mu.Lock()
	args := []any{f.opts.Process, ms(f.opts.LeaseTimeout), ms(f.heartbeatWindow())}
	for u := range f.held {
		args = append(args, u)
	}
	gates := append([]*Gate(nil), f.gates...)
	f.mu.Unlock()
	f.run(ctx, "renewing leases", renewScript, args...)
	for _, g := range gates {
		g.renew(ctx)
	}
}

// Close stops the renewal and gives this process's unfinished leases back
// to the queue, so other processes need not wait for them to expire. The
// job's state stays in Redis.
func (f *Frontier) Close(ctx context.Context) error {
	var err error
	f.once.Do(func() {
		close(f.stop)
		<-f.done
		f.mu.Lock()
		held := make([]string, 0, len(f.held))
		for u := range f.held {
			held = append(held, u)
		}
		gates := f.gates
		f.mu.Unlock()
		for _, u := range held {
			if _, e := f.run(ctx, "giving back "+u, unleaseScript, u); e != nil && err == nil {
				err = e
			}
		}
		for _, g := range gates {
			if e := g.releaseAll(ctx); e != nil && err == nil {
				err = e
			}
		}
	})
	return err
}
