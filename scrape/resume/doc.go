// Package resume is what the crawl's persistent frontiers (diskfrontier, on
// disk; redisfrontier, shared through Redis) agree on about a crawl that
// outlives one process: its Identity, computed from its scrape.Config, which
// a state folder or a job remembers so that another crawl is refused
// (IdentityError) instead of silently mixed in; the default job name derived
// from it (Identity.Job); and what a frontier that already holds work means
// for the crawl about to start (StateOf, Prepare: a crawl to resume has its
// output's torn last record cut off and, on disk, the URLs already written
// marked done).
//
// The import graph is one-way: resume imports scrape and output, the
// backends import resume and scrape, and scrape imports none of them.
package resume
