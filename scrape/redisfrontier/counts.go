package redisfrontier

import (
	"context"
	"time"

	"github.com/poolscrape/poolscrape/scrape"
	"github.com/poolscrape/poolscrape/scrape/resume"
	"github.com/redis/go-redis/v9"
)

// Counts is a job's progress, as every process sees it (Progress, Status).
type Counts struct {
	Queued     int64 // waiting (retries included)
	Leased     int64 // live leases
	Seen       int64 // distinct URLs seen
	Done       int64 // settled with a record
	Failed     int64 // settled with an error record
	Refetched  int64 // leases that expired and were handed out again
	Duplicates int64 // pushes of URLs already seen
	LateAcks   int64 // acks of URLs settled already, or leased again since (refetches that finished twice)
	Processes  int64 // processes with a heartbeat in the last HeartbeatWindow
	// HeartbeatWindow is the window Processes was counted over: three
	// lease timeouts (Config.LeaseTimeout; for Status, the job's, as its
	// processes recorded it).
	HeartbeatWindow time.Duration
	Started         time.Time // when the job was seeded
	Last            time.Time // the last ack (zero before any)
	Now             time.Time // Redis's clock when counted
}

// Scrape is c as scrape's counters, where Done counts every settled URL.
func (c Counts) Scrape() scrape.FrontierCounts {
	return scrape.FrontierCounts{Seen: c.Seen, Queued: c.Queued, Leased: c.Leased, Done: c.Done + c.Failed, Duplicates: c.Duplicates}
}

// Finished reports whether the job is over: URLs were seen and none is
// queued or leased.
func (c Counts) Finished() bool { return resume.StateOf(c.Scrape()) == resume.Finished }

// PagesPerSecond is the job's average rate: settled URLs over the time from
// the seeding to the last ack (or to now while running).
func (c Counts) PagesPerSecond() float64 {
	end := c.Now
	if c.Finished() && !c.Last.IsZero() {
		end = c.Last
	}
	secs := end.Sub(c.Started).Seconds()
	if secs <= 0 {
		return 0
	}
	return float64(c.Done+c.Failed) / secs
}

// Counts returns the job's counters; see scrape.Frontier. It answers from
// its last reading for Config.CountsCache (the crawler asks for every
// page's progress); on an error it returns the last reading too.
func (f *Frontier) Counts(ctx context.Context) (scrape.FrontierCounts, error) {
	f.countsMu.Lock()
	defer f.countsMu.Unlock()
	if !f.at.IsZero() && time.Since(f.at) < f.cfg.CountsCache {
		return f.counts, nil
	}
	c, err := f.Progress(ctx)
	if err != nil {
		return f.counts, err
	}
	f.counts, f.at = c.Scrape(), time.Now()
	return f.counts, nil
}

// Progress reads the job's counters (and hands back expired leases).
func (f *Frontier) Progress(ctx context.Context) (Counts, error) {
	return f.read(ctx, f.heartbeatWindow())
}

// read runs the counts script; window 0 means the job's own (three times
// the lease timeout its processes recorded).
func (f *Frontier) read(ctx context.Context, window time.Duration) (Counts, error) {
	v, err := f.run(ctx, "reading counters", countsScript, ms(window))
	if err != nil {
		return Counts{}, err
	}
	res := asSlice(v)
	c := Counts{
		Queued:          asInt(res[0]),
		Leased:          asInt(res[1]),
		Seen:            asInt(res[2]),
		Processes:       asInt(res[3]),
		Started:         time.UnixMilli(asInt(res[4])),
		Now:             time.UnixMilli(asInt(res[5])),
		HeartbeatWindow: msDuration(asInt(res[7])),
	}
	stats := asSlice(res[6])
	for i := 0; i+1 < len(stats); i += 2 {
		n := asInt(stats[i+1])
		switch asString(stats[i]) {
		case "done":
			c.Done = n
		case "failed":
			c.Failed = n
		case "refetched":
			c.Refetched = n
		case "duplicates":
			c.Duplicates = n
		case "late_acks":
			c.LateAcks = n
		case "last":
			c.Last = time.UnixMilli(n)
		}
	}
	return c, nil
}

// Status reads job's counters without joining it (no heartbeat, no
// identity check, nothing to close), counting the processes over the job's
// own heartbeat window. ok is false when the job does not exist. Of cfg,
// only MaxOutage, OnRetry and OnReconnect matter.
func Status(ctx context.Context, rdb redis.UniversalClient, job string, cfg Config) (c Counts, ok bool, err error) {
	f := newFrontier(rdb, job, cfg)
	c, err = f.read(ctx, 0)
	if err != nil {
		return c, false, err
	}
	return c, c.Started.UnixMilli() != 0 || c.Seen > 0, nil
}
