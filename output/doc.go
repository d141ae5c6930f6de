// Package output writes the crawl's records, one record.Record (package
// scrape/record) per fetched URL, as JSON lines, CSV or a JSON array, and
// reads them back: to resume a crawl (Recover) and to check a crawl's
// output (ReadFile). It imports only the standard library and
// scrape/record, not the crawler.
//
// NewWriter encodes records onto any io.Writer. Open is the helper for
// files (and "-", standard output) on top of it: it creates, truncates or
// appends to the file, undoes a failed write and keeps a JSON array valid,
// as described under Guarantees. Both return a *Writer, which is a
// record.Writer (scrape.Config.Output).
//
// Open's options are functional options named With... (WithAppend;
// WithOverwrite, which leaves an existing file as it was until the first
// Write or Close, and for good if a refused run closes the Writer with
// Abort); the zero Format given to Open, Recover or ReadFile means the one of the
// path's extension (FormatFor). Every error the package returns starts with
// "output: " and the path when there is one, and wraps one of the Err... sentinels where a
// caller may branch on it.
//
// # Formats
//
//   - jsonl (.jsonl, .ndjson): one JSON object per line, the fields of
//     record.Record; nil matches and links are written as {} and [].
//   - csv (.csv): a header row, then one row per record with the columns
//     url, final_url, status, depth, referrer, title, content_type, bytes,
//     elapsed_ms, fetched_at, one column per extraction rule (named after
//     the rule, in the order given), links, error. fetched_at is RFC 3339
//     with milliseconds (empty for a zero time). A rule's column holds its
//     matches as JSON array text, e.g. ["a","b|c"], and is empty when the
//     rule has none; links likewise. JSON array text round-trips any
//     string and parses in every language; encoding/csv quotes it.
//   - json (.json): one JSON array, each record on its own line. In a
//     regular file the array is closed at every moment: Open writes "[" and
//     "]", and each record is written, with its separating comma and the
//     "]", over the "]" before it; so the file is a valid array after Open
//     (WithOverwrite: once started), after every Write, after a failed write and after Close. Standard
//     output, a pipe, a device or a NewWriter stream gets "[" at the start
//     and "]" at Close. A JSON array cannot be appended to.
//
// Every format is valid UTF-8: a byte of invalid UTF-8 in any text of a
// record (a page that lied about its charset) is written as U+FFFD, in CSV
// as encoding/json does in JSON, so all formats hold the same text.
//
// The format comes from the path's extension or from an explicit Format;
// "-" is standard output (jsonl unless a format is given).
//
// # Guarantees
//
// A Writer is safe for concurrent use. Each record is encoded whole in
// memory and handed to the file (or NewWriter's io.Writer) with one write
// call before Write returns, so a record Write returned for survives the
// process being killed, and lines are never interleaved. A write that
// fails (a full disk, a file size limit) is undone in a regular file: what
// it wrote is cut off and a JSON array's "]" written back over the bytes it held, so the
// file holds the records written before it, whole, in every format; the
// Writer then refuses further records with that error. (Standard output
// and a NewWriter stream cannot be cut.) Close writes the JSON array's end
// where it is not there yet, syncs and closes a file Open opened, and
// returns every error it meets.
//
// A process killed in a write can still leave a torn last line; Recover
// (and Open WithAppend) cut it off, so a resumed crawl appends after whole
// records only.
package output
