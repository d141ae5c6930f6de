// Package resume is what the crawl's persistent frontiers (diskfrontier, on
// disk; redisfrontier, shared through Redis) agree on about a crawl that
// outlives one process: its Identity, computed from its scrape.Config, which
// a state folder or a job remembers so that another crawl is refused
// (IdentityError) instead of silently mixed in; the default job name derived
// from it (Identity.Job); and what a frontier that already holds work means
// for the crawl about to start (StateOf).
//
// The import graph is one-way: resume imports scrape, the backends import
// both, and scrape imports neither.
package resume
