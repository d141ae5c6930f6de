package redisfrontier

import (
	"context"
	"github.com/redis/go-redis/v9"
	"time"
)

// Counts is a job's progress, as every process sees it.
type Counts struct {
	Queued     int64     // waiting (retries included)
	Leased     int64     // live leases
	Seen       int64     // distinct URLs seen
	Done       int64     // settled with a record
	Failed     int64     // settled with an error record
	Refetched  int64     // leases that expired and were handed out again
	Duplicates int64     // pushes of URLs already seen
	LateAcks   int64     // acks of URLs settled already (refetches that finished twice)
	Processes  int64     // processes with a heartbeat in the last three lease timeouts
	Started    time.Time // when the job was seeded
	Last       time.Time // the last ack (zero before any)
	Now        time.Time // Redis's clock when counted
}

// Finished reports whether the job is over: URLs were seen and none is
// queued or leased.
func (c Counts) Finished() bool { return c.Seen > 0 && c.Queued == 0 && c.Leased == 0 }

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

// Counts reads the job's counters (and hands back expired leases).
func (f *Frontier) Counts(ctx context.Context) (Counts, error) {
	return counts(ctx, f)
}

func counts(ctx context.Context, f *Frontier) (Counts, error) {
	v, err := f.run(ctx, "reading counters", countsScript, ms(f.heartbeatWindow()))
	if err != nil {
		return Counts{}, err
	}
	res := asSlice(v)
	c := Counts{
		Queued:    asInt(res[0]),
		Leased:    asInt(res[1]),
		Seen:      asInt(res[2]),
		Processes: asInt(res[3]),
		Started:   time.UnixMilli(asInt(res[4])),
		Now:       time.UnixMilli(asInt(res[5])),
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

// Status reads a job's counters without joining it (no heartbeat, no
// identity check): poolscrape crawl status. ok is false when the job does
// not exist.
func Status(ctx context.Context, f *Frontier) (Counts, bool, error) {
	c, err := counts(ctx, f)
	if err != nil {
		return c, false, err
	}
	return c, c.Started.UnixMilli() != 0 || c.Seen > 0, nil
}

// Observer returns a Frontier handle for reading a job's counters only: it
// does not register a process or renew anything, and needs no Close.
func Observer(rdb redis.UniversalClient, job string, opts Options) *Frontier {
	opts.fill()
	return &Frontier{rdb: rdb, job: job, prefix: Prefix(job), opts: opts}
}
