// Package redisfrontier is the crawl frontier shared by many crawler
// processes, on one machine or many, as one named job: the queue, the seen
// set, the leases, the per-host politeness and the job's counters live in
// Redis, and every state change is one Lua script, so it is atomic across
// all processes.
//
// # Boundaries
//
// *Frontier is a scrape.Frontier, a scrape.Releaser and a scrape.FailAcker
// (the crawler acks a URL whose record has an error as Failed), and *Gate (NewGate)
// a scrape.HostGate: set them as scrape.Config.Frontier and
// scrape.Config.Gate, with no adapter. They speak scrape's vocabulary
// (scrape.Request, scrape.Lease, scrape.Admit, scrape.ErrDrained and
// scrape.ErrNoneReady); what is the job's own is Progress and Status (the
// job's counters as every process sees them), AckAs and Held. Open takes
// the crawl's resume.Identity (resume.IdentityOf of its scrape.Config) and a
// Config, NewGate a GateConfig, whose zero fields mean the defaults. Errors
// start with "redisfrontier: ".
//
// # Keys
//
// Every key of job J starts with poolscrape:{J}: (the braces make it one
// Redis Cluster hash slot):
//
//	meta      hash   identity (the crawl's settings), started (ms), lease (the lease timeout, ms)
//	seen      hash   canonical URL → q (queued or leased), d (done), f (failed), m (seen through a redirect)
//	queue     zset   URL → depth*1e10 + sequence: lowest depth first, FIFO within a depth
//	item      hash   URL → the request (JSON: depth, referrer, host, attempt, not-before)
//	leases    zset   URL → lease expiry (ms, Redis clock)
//	lease_id  hash   leased URL → the ID of its lease (scrape.Lease.ID), new for every lease
//	lease_seq string the last lease ID
//	owner     hash   leased URL → its process, for a lease handed out by the code before lease IDs
//	                 (a job it began, still running it): see Upgrading
//	claims:U  set    redirect targets the lease of URL U marked seen (m); dropped when U is acked,
//	                 unmarked when U's lease expires and is handed out again
//	claimer   hash   redirect target → the URL U whose lease claimed it
//	undone    hash   depth → URLs of that depth queued or leased
//	stats     hash   done, failed, refetched, duplicates, last (ms)
//	procs     zset   process → last heartbeat (ms)
//	seq       string the queue sequence
//	slots:H   zset   host H's politeness slots → expiry (ms)
//	lastus:H  string when a request to host H last started (µs)
//	delay     hash   host → robots.txt Crawl-delay (ms)
//
// Times are Redis's own clock (the TIME command inside the scripts), so
// machines with skewed clocks still agree on lease expiry and host gaps.
//
// # Semantics
//
// Push is a check-and-add (HSETNX on seen): of many processes pushing one
// URL, exactly one queues it. Seeding a job twice is harmless. A URL pushed
// again at a smaller depth while queued has its depth lowered, and a request
// at depth d is handed out only when nothing of depth d-2 or less is
// undone, as in scrape.MemoryFrontier, so depths are exact.
//
// Pop leases a URL for the lease timeout (Config.LeaseTimeout); the process
// renews its leases (and its host slots) from a background goroutine every
// third of it, and records a heartbeat; a process counts as live for three
// lease timeouts after its last one (Counts.HeartbeatWindow). A lease that expires — its process died or lost
// Redis — is handed out again by the next Pop anywhere, and counted as
// refetched. Ack, after the URL's record is written, settles it. Ack,
// Retry and Release act only on the lease they are given (its Lease.ID),
// and Unmark only on a target still claimed by the lease this process
// marked it under: a slow process whose lease expired and was handed out
// again ends nothing of the new holder's — neither its lease nor its
// redirect claims — and its Ack counts as late (Counts.LateAcks), as does
// a second Ack of a URL.
//
// The job is over for everyone when nothing is queued and no lease is live:
// Pop returns scrape.ErrDrained. When nothing may start in this process
// because of other processes, Pop returns scrape.ErrNoneReady with a wait of
// at most Config.Poll, since they cannot wake it.
//
// # Upgrading
//
// A job may go on across an upgrade from the code before lease IDs, with
// processes of both running: a lease handed out by the old code has no ID
// but its process in owner, and stays that process's, which renews and
// ends it by owner as before. This code does not renew it, and a lease of
// this code's that expired and went to an old process ends nothing of the
// old one's: its Ack, Retry, Release and Unmark leave the lease and its
// claims alone, the Ack counting as late (MarkWritten settles it, as any
// lease). When an old lease expires it is handed out again under an ID,
// its owner dropped, so that the old process's renewal leaves it alone.
// What the old code does is its own: its late Ack of a lease it lost
// still settles the URL.
//
// Per-host politeness (Gate) is a script too: it grants a slot for a host
// only if fewer than GateConfig.PerHost slots are held, by all processes,
// and the host's last start is at least GateConfig.Delay (or the host's
// robots.txt Crawl-delay) ago. Slots expire like leases, so a dead process's slots come
// back.
//
// # Redis going away
//
// Every call is retried with exponential backoff (50 ms doubling to 2 s)
// while Redis is unreachable, up to the outage bound (Config.MaxOutage,
// default 1 minute), then fails with ErrUnavailable. Nothing is lost: a
// script runs whole or not at all, a retried Push or Ack is idempotent, and
// a retried Pop at worst leaves a lease that expires and is handed out
// again. The job in Redis stays resumable.
package redisfrontier
