// Package scrape is poolscrape's crawler: colly fetches pages as tasks on an
// executor pool, goquery and regular expressions extract from them, and a
// frontier owns dedupe, depth, scope and per-host politeness.
//
// # Flow
//
// The flow is one-directional: fetch → extract → frontier → schedule →
// fetch (pipeline.go draws it). A single scheduler goroutine pops requests
// from the Frontier and submits each fetch as a task on an
// executor.ThreadPool (executor.Submit); the fetch's done-callback
// (Future.AddDoneCallback) only hands the page on to the finish stage, a
// task on a second pool, which gives the host's slot back, re-queues a
// retryable failure with a not-before time, and extracts: in its own
// goroutine, or (Config.ExtractIn ExtractInProcess) as the registered task
// "scrape.extract" on an executor.ProcessPool, waiting for it. The links
// found are pushed to the frontier, the record is written, and only then is
// the lease acked. No done-callback does I/O or waits; at most
// 2·Concurrency pages are between fetch and ack, so a slow output or
// frontier slows the fetching down.
//
// # Boundaries
//
// A program embeds the crawler with a Config, New and Crawler.Run, and gets
// a record.Record per URL through its own record.Writer, the Stats at the
// end, and (optionally) Progress calls on the way; ExampleCrawler shows it.
// The package speaks Go: fields, types and errors, never command-line flags;
// cmd/poolscrape maps its flags onto a Config and owns exit codes and the
// terminal progress bar. Fetching, extraction, scope, robots.txt, retries
// and throttling are unexported details that a Config sets.
//
// What a backend implements is exported: Frontier (with Request, Lease,
// Admit, FrontierCounts, and the Releaser a lasting frontier adds and the
// FailAcker one that counts failures apart), HostGate (with Outcome), and
// PageStore (with PageMemo, and the PassCounter that counts a whole recrawl
// pass) for recrawls: small interfaces with a context first and errors
// returned. MemoryFrontier is the default frontier and the in-memory gate
// the default HostGate; scrape/diskfrontier (resumable crawls) and
// scrape/redisfrontier (one crawl shared by many processes, leases with a
// visibility timeout, politeness enforced in Redis) plug in through
// Config.Frontier and Config.Gate, and use HostOf so that they and the
// crawler agree on hosts.
//
// # Records
//
// One record.Record per fetched URL, failures included. Robots-blocked URLs,
// off-scope links (Config.Scope, Allow, Deny) and binary links are counted in
// Stats, not recorded. A redirect is recorded under the URL that was linked,
// with the target as final_url; the targets on the way are marked seen and
// get no record of their own. A redirect to a URL already seen (or off
// scope, or blocked by robots.txt) is not followed: its 3xx answer is the
// record, with the Location target as final_url. With Config.MaxPages, queued
// URLs past the limit are dropped (counted, not recorded); every URL that
// was dispatched gets its record, retries included.
package scrape
