// Package scrape is poolscrape's crawler: colly fetches pages as tasks on an
// executor pool, goquery and regular expressions extract from them, and a
// frontier owns dedupe, depth, scope and per-host politeness.
package scrape
