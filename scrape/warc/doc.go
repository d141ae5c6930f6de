// Package warc writes WARC 1.1 files (ISO 28500:2017): a warcinfo record,
// then a request and a response record for every HTTP exchange, each
// record in one gzip member when the file name ends in .warc.gz.
//
// A Writer never leaves a torn record behind it: each exchange (its request
// and response records) is built whole in memory and written with one
// write at the end of the file; a failed write is cut back off. A file
// that a crash left with a torn tail anyway (a write the kernel did not
// finish) is cut back to its last whole record by Append before it writes.
//
// The package imports nothing of the crawler: the crawler hands it
// Exchanges.
package warc
