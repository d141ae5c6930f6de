// Package diskfrontier is the crawl frontier of a resumable crawl: the queue
// of URLs to fetch, the seen set and each URL's outcome live in a bbolt file
// in a state folder, so memory stays flat as the crawl grows and a crawl
// stopped by a cancelled context, a crash or kill -9 resumes where it was
// when the same crawl opens the folder again.
//
// # Boundaries
//
// *Frontier is a scrape.Frontier, a scrape.Releaser and a scrape.FailAcker
// (the crawler acks a URL whose record has an error as Failed): set it as
// scrape.Config.Frontier, with no adapter. It speaks scrape's vocabulary
// (scrape.Request, scrape.Lease, scrape.Admit, scrape.ErrDrained and
// scrape.ErrNoneReady); what is its own is the file: Progress (Done and
// Failed apart), AckAs, MarkWritten, Requeued, Sync. Open takes the crawl's
// resume.Identity (resume.IdentityOf of its scrape.Config) and a Config
// whose zero fields mean the defaults. Errors start with "diskfrontier: ".
//
// # Layout
//
// One bbolt file, DIR/frontier.db, with these buckets (and the recrawl's
// pages and previous):
//
//   - meta: the crawl's resume.Identity (start URLs, scope, filters,
//     depth...), the counters, how many times the folder was opened (the
//     high half of its lease IDs) and, in a recrawl, the pass's counts by
//     change (PassChanges).
//   - seen: 16 bytes of SHA-256 of the canonical URL → state (queued, done,
//     failed, seen through a redirect) and the URL's queue key. The seen set
//     is on disk; a lookup is a B+tree walk in bbolt's memory map, with no
//     system call, so no in-memory filter is kept in front of it: in a
//     profile of a whole-site crawl the lookups are a small part of Push,
//     whose cost is the commit. A 128-bit hash makes a collision, which
//     would drop one URL, vanishingly unlikely (about 10^-20 at a billion
//     URLs).
//   - queue: depth (4 bytes) + sequence (8 bytes), big-endian → the URL and
//     its referrer. bbolt keeps keys sorted, so the queue is ordered by depth
//     and first-in first-out within a depth. A depth-first state (its
//     identity's order is scrape.OrderDepth) keys the queue by the
//     sequence's complement (and then the depth), newest first.
//   - leased: the same keys for the URLs handed out by Pop and not yet acked.
//   - claims: the redirect targets a lease marked seen (MarkSeen), keyed by
//     the leased URL's and the target's hashes; a target's seen value names
//     its claimer too. Acking the lease drops its claims; Open, requeueing a
//     lease left by a dead process, unmarks the targets it still claims, so
//     that the refetch follows the redirect again instead of ending at the
//     3xx.
//
// # Memory
//
// BenchmarkStateCrawlMemory crawls a 200,000-page site with this frontier
// and with scrape.MemoryFrontier in one run: the peak live heap of the
// whole crawl was 26 MB on disk against 72 MB in memory (1,727 against
// 3,163 pages/s: each page's links are one bbolt commit).
//
// # Leases and crash safety
//
// Pop moves URLs from queue to leased (in batches, to save transactions);
// Ack (or AckAs), called after the URL's record is written, marks it done
// (or failed). Every lease handed out has an ID of its own (scrape.Lease.ID,
// never reused, across Opens too), and Ack, Retry and Release end only the
// lease they are given: a stale one, ended already and its URL maybe
// handed out again, leaves the new lease and its redirect claims alone.
// Open moves every leased URL back to the queue, so a URL that was in flight
// when the process died is fetched again. A URL whose record reached the
// output but whose Ack did not reach the file is one the caller must not
// fetch again: the crawler reads its output back on resume and passes those
// URLs to MarkWritten.
//
// Push commits before it returns, so the links of a page are in the store
// before the page's record is written and acked: a crash never loses a
// discovered URL. Acks are grouped: they are written with the next
// transaction, at most Config.AckBatch of them are held, and Sync and Close
// write them. A lost ack costs nothing, for the reason above.
//
// The file is opened with bbolt's NoSync: commits are written to the
// operating system, not fsync'd, and Sync (called every Config.SyncInterval
// and by Close) fsyncs. A process that crashes or is killed loses nothing,
// since what it wrote is in the kernel's page cache; a machine that loses
// power may lose the last SyncInterval of work or, as bbolt warns for
// NoSync, the file: start the crawl afresh in a new folder then.
//
// One process at a time: Open takes bbolt's file lock and fails with
// ErrLocked when another process holds the folder.
package diskfrontier
