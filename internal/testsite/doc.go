// Package testsite is a deterministic synthetic web site for poolscrape's
// crawler tests and for `poolscrape bench`: every page is generated on the
// fly from its path, the site counts the requests it gets per path, and it
// computes what a correct crawl must find, so tests compare a crawl against
// expectations derived from the same link graph the handler serves.
//
// # The link graph
//
// The home page "/" links /page/0 and the author pages /author/0 to
// /author/4 (plus, unless Config.Plain, the one-off pages below). The pages
// /page/0 to /page/Pages-1 form a tree with Config.Fanout children per page
// (page N links /page/F*N+1 ... /page/F*N+F), numbered in layers: /page/0 is
// at depth 1, its children at depth 2, and so on. Each page also links the
// first child of the next page in its own layer (a cross link, written as an
// absolute URL with a #fragment), "/#top", "../page/0" and its author page.
//
// Every link either goes one layer down or to a page the home page links
// itself. So the depth of a page (its least number of link hops from "/")
// does not depend on the order in which a concurrent crawler happens to
// discover links: any crawler that assigns a URL the depth of its first
// discoverer plus one gets exactly the depths Expected reports.
//
// # One-off pages (absent when Config.Plain)
//
// Page N also links, by N mod 7: 0: /private/N (disallowed by robots.txt);
// 1: /redirect/C, a 302 to /page/C where /page/C is its first child, linked
// directly from the same page (a redirect to an already-seen URL); 2:
// /missing/N (404); 3: /flaky/N (503 with Retry-After: 0 on its first
// request, 200 afterwards); 4: binary files /files/report.pdf,
// /files/REPORT.PDF, /img/photo.png?size=large and /dl/archive.zip, which
// a crawler must never request.
//
// The home page also links /private/, /latin1 (served as
// "text/html; charset=iso-8859-1"), /cp1252 (charset only in a <meta> tag:
// windows-1252), /busy (429 with Retry-After: 1 on its first request),
// /chain/3 (301 to /chain/2, to /chain/1, to /landing, which nothing links),
// /trap/1 (a calendar-like trap: /trap/K links /trap/K+1 without end), /big
// (exactly Config.BigSize bytes), the binary files, a mailto: and a
// javascript: link, and the same server under its other loopback name
// (http://localhost:PORT/offsite when served as 127.0.0.1 and the reverse):
// an off-scope link for scrape.ScopeHost.
//
// /slow/MS answers after MS milliseconds (at most a minute) and is linked
// from nowhere. /robots.txt disallows /private/ and carries Config.CrawlDelay.
//
// # How a crawl is expected to count
//
// A crawler emits one record per URL it fetched, under the URL it was
// linked as: a redirect yields one record for the linked URL, with the
// target as its final URL and the target's title, links and matches (the
// intermediate hops and /landing get no record of their own). Expected
// lists those linked URLs with their depths; robots.txt, robots-disallowed
// URLs (unless robots are ignored), binary links and off-host links are not
// in it. Info describes what each path yields (status after redirects and
// retries, final path, title in UTF-8, links, and the matches of Rules).
package testsite
