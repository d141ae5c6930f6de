package scrape

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/temoto/robotstxt"
)

// parseRobots parses a robots.txt body, following every line it can parse
// (RFC 9309 §2.3.1.5): robotstxt rejects a whole file for one bad line (a
// Crawl-delay that is not a number, a rule before any User-agent), so those
// lines are dropped first.
func parseRobots(body []byte) (*robotstxt.RobotsData, error) {
	return robotstxt.FromBytes(dropUnparsableLines(body))
}

// dropUnparsableLines removes the lines robotstxt would fail the file for:
// Allow, Disallow and Crawl-delay before the first User-agent, and a
// Crawl-delay whose value is not a non-negative number.
func dropUnparsableLines(body []byte) []byte {
	out := make([]byte, 0, len(body))
	agent := false
	for len(body) > 0 {
		line := body
		if i := bytes.IndexAny(body, "\r\n"); i >= 0 {
			line, body = body[:i+1], body[i+1:]
		} else {
			body = nil
		}
		key, value := robotsLine(line)
		switch key {
		case "user-agent", "useragent":
			agent = true
		case "allow", "disallow":
			if !agent {
				continue
			}
		case "crawl-delay", "crawldelay":
			if !agent || !validCrawlDelay(value) {
				continue
			}
		}
		out = append(out, line...)
	}
	return out
}

// robotsLine splits a line into its lower-case key and its value, without
// the comment.
func robotsLine(line []byte) (key, value string) {
	s := string(line)
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	k, v, ok := strings.Cut(s, ":")
	if !ok {
		k, v, _ = strings.Cut(strings.TrimSpace(s), " ")
	}
	return strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
}

func validCrawlDelay(v string) bool {
	if f := strings.Fields(v); len(f) > 0 {
		v = f[0]
	}
	d, err := strconv.ParseFloat(v, 64)
	return err == nil && d >= 0 && !math.IsInf(d, 0) && !math.IsNaN(d)
}
