// Package output writes the crawl's records, one scrape.Record per fetched
// URL, as JSON lines, CSV or a JSON array, and reads them back: to resume a
// crawl (Recover) and to check a crawl's output (ReadFile).
//
// # Formats
//
//   - jsonl (.jsonl, .ndjson): one JSON object per line, the fields of
//     scrape.Record; nil matches and links are written as {} and [].
//   - csv (.csv): a header row, then one row per record with the columns
//     url, final_url, status, depth, referrer, title, content_type, bytes,
//     elapsed_ms, fetched_at, one column per extraction rule (named after
//     the rule, in the order given), links, error. fetched_at is RFC 3339
//     with milliseconds (empty for a zero time). A rule's column holds its
//     matches as JSON array text, e.g. ["a","b|c"], and is empty when the
//     rule has none; links likewise. JSON array text round-trips any
//     string and parses in every language; encoding/csv quotes it.
//   - json (.json): one JSON array; "[" is written at Open, each record on
//     its own line (with the separating comma), and "]" at Close, so the
//     file is a valid array after Close even with no records. A JSON array
//     cannot be appended to.
//
// The format comes from the path's extension or from an explicit name; "-"
// is standard output (jsonl unless a format is given).
//
// # Guarantees
//
// A Writer is safe for concurrent use. Each record is encoded whole in
// memory and handed to the operating system with one write call before
// Write returns, so a record Write returned for survives the process being
// killed, and lines are never interleaved. A write that fails part way is
// cut back off the file, and the Writer then refuses further records.
// Close writes the JSON array's end, syncs and closes the file, and returns
// every error it meets.
//
// A process killed in a write can still leave a torn last line; Recover
// (and Open in append mode) cut it off, so a resumed crawl appends after
// whole records only.
package output
