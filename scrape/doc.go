// Package scrape is poolscrape's crawler: colly fetches pages as tasks on an
// executor pool, goquery and regular expressions extract from them, and a
// frontier owns dedupe, depth, scope and per-host politeness.
//
// # Flow
//
// The flow is one-directional: fetch → extract → frontier → schedule →
// fetch. A single scheduler goroutine pops requests from the Frontier and
// submits each fetch as a task on an executor.ThreadPool (executor.Submit);
// the fetch's done-callback (Future.AddDoneCallback) gives the host's slot
// back, re-queues a retryable failure with a not-before time, and hands the
// page to extraction: in the callback itself, or (Config.ExtractIn
// ExtractInProcess) as the registered task "scrape.extract" on an
// executor.ProcessPool, whose own done-callback goes on. The links found are
// pushed to the frontier, the record is written, and only then is the lease
// acked. Callbacks never wait on a pool; they wake the scheduler.
//
// # Interfaces for what comes next
//
// Frontier (MemoryFrontier here) and HostGate (MemoryGate) are small
// interfaces with a context first and errors returned, so an on-disk
// frontier (resumable crawls) and a Redis one (one crawl shared by many
// processes, leases with a visibility timeout, politeness enforced in
// Redis) plug in through Config.Frontier and Config.Gate.
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
