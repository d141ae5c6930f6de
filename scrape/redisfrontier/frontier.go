package redisfrontier

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/resume"
	"github.com/redis/go-redis/v9"
)

// The Frontier and the Gate are the crawler's own interfaces: no adapter
// between them.
var (
	_ scrape.Frontier  = (*Frontier)(nil)
	_ scrape.Releaser  = (*Frontier)(nil)
	_ scrape.FailAcker = (*Frontier)(nil)
	_ scrape.HostGate  = (*Gate)(nil)
)

// Frontier is one process's handle on a shared job: a scrape.Frontier and
// a scrape.Releaser (set it as scrape.Config.Frontier). Safe for concurrent
// use. Close it to stop the lease renewal and give back unfinished leases.
type Frontier struct {
	rdb    redis.UniversalClient
	job    string
	prefix string
	cfg    Config
	lifo   bool // the identity's order is scrape.OrderDepth

	mu     sync.Mutex
	held   map[string]uint64   // URLs this process has leased → lease ID
	marks  map[string]mark     // redirect targets claimed by those leases
	claims map[string][]string // leased URL → the targets in marks it claimed
	gates  []*Gate

	countsMu sync.Mutex            // held while Counts reads Redis
	counts   scrape.FrontierCounts // Counts' last reading
	at       time.Time             // when it was read

	stop chan struct{}
	done chan struct{}
	once sync.Once

	downSince atomic.Int64 // when the outage under way began (UnixNano); 0: none (redis.go)
	upSince   atomic.Int64 // when the last reported outage ended (UnixNano); 0: none
}

// Prefix is the key prefix of a job.
func Prefix(job string) string { return "poolscrape:{" + job + "}:" }

// Open joins job (creating it if it does not exist) with identity id (see
// resume.IdentityOf), tuned by cfg, and starts renewing this process's
// leases. A job made by a crawl with another identity is refused with a
// *resume.IdentityError (errors.Is resume.ErrIdentityMismatch).
func Open(ctx context.Context, rdb redis.UniversalClient, job string, id resume.Identity, cfg Config) (*Frontier, error) {
	if job == "" {
		return nil, errors.New("redisfrontier: empty job name")
	}
	f := newFrontier(rdb, job, cfg)
	if err := f.checkIdentity(ctx, id); err != nil {
		return nil, err
	}
	if _, err := f.run(ctx, "registering process", renewScript, f.cfg.Process, ms(f.cfg.LeaseTimeout), ms(f.heartbeatWindow())); err != nil {
		return nil, err
	}
	go f.renewLoop()
	return f, nil
}

func newFrontier(rdb redis.UniversalClient, job string, cfg Config) *Frontier {
	return &Frontier{rdb: rdb, job: job, prefix: Prefix(job), cfg: cfg.withDefaults(),
		held: map[string]uint64{}, marks: map[string]mark{}, claims: map[string][]string{}, stop: make(chan struct{}), done: make(chan struct{})}
}

// checkIdentity stores id in a new job or compares it with the stored one,
// and records this process's lease timeout as the job's.
func (f *Frontier) checkIdentity(ctx context.Context, id resume.Identity) error {
	raw, err := id.Encode()
	if err != nil {
		return fmt.Errorf("redisfrontier: job %s: %w", f.job, err)
	}
	f.lifo = id.Order() == scrape.OrderDepth
	v, err := f.run(ctx, "checking the job's identity", identityScript, string(raw), ms(f.cfg.LeaseTimeout), string(id.Order()))
	if err != nil {
		return err
	}
	stored, err := resume.Decode([]byte(asString(v)))
	if err != nil {
		return fmt.Errorf("redisfrontier: job %s: %w", f.job, err)
	}
	if err := resume.Check("redis job "+f.job, stored, id); err != nil {
		return fmt.Errorf("redisfrontier: %w", err)
	}
	return nil
}

// identityScript: ARGV[2] identity JSON, ARGV[3] lease timeout ms, ARGV[4]
// order. Stores the identity, the order (which the scripts read from the
// meta) and the start time if the job is new, and the lease timeout (for
// Status's heartbeat window); returns the stored identity.
var identityScript = redis.NewScript(prelude + `
redis.call('HSETNX', p..'meta', 'order', ARGV[4])
redis.call('HSETNX', p..'meta', 'identity', ARGV[2])
redis.call('HSETNX', p..'meta', 'started', now)
redis.call('HSET', p..'meta', 'lease', ARGV[3])
return redis.call('HGET', p..'meta', 'identity')
`)

// Job is the job's name.
func (f *Frontier) Job() string { return f.job }

// Process is this process's name in the job.
func (f *Frontier) Process() string { return f.cfg.Process }

// heartbeatWindow is how long a process's heartbeat counts it as live:
// three lease timeouts.
func (f *Frontier) heartbeatWindow() time.Duration { return 3 * f.cfg.LeaseTimeout }

func ms(d time.Duration) int64 { return d.Milliseconds() }

// renewLoop renews leases and host slots every third of the lease timeout
// (Config.renewEvery).
func (f *Frontier) renewLoop() {
	defer close(f.done)
	tick := time.NewTicker(f.cfg.renewEvery)
	defer tick.Stop()
	for {
		select {
		case <-f.stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), f.cfg.LeaseTimeout/3)
			f.renew(ctx)
			cancel()
		}
	}
}

// renew extends this process's leases and slots; failures are left to the
// lease timeout (the leases are handed out again elsewhere).
func (f *Frontier) renew(ctx context.Context) {
	f.mu.Lock()
	args := []any{f.cfg.Process, ms(f.cfg.LeaseTimeout), ms(f.heartbeatWindow())}
	for u, id := range f.held {
		args = append(args, u, id)
	}
	gates := append([]*Gate(nil), f.gates...)
	f.mu.Unlock()
	f.run(ctx, "renewing leases", renewScript, args...)
	for _, g := range gates {
		g.renew(ctx)
	}
}

// Close stops the renewal and gives this process's unfinished leases (and
// host slots) back, so other processes need not wait for them to expire.
// The job's state stays in Redis. Closing twice is harmless.
func (f *Frontier) Close(ctx context.Context) error {
	var err error
	f.once.Do(func() {
		close(f.stop)
		<-f.done
		f.mu.Lock()
		held := maps.Clone(f.held)
		gates := f.gates
		f.mu.Unlock()
		for u, id := range held {
			if _, e := f.run(ctx, "giving back "+u, unleaseScript, u, id); e != nil && err == nil {
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
