package resume

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/poolscrape/poolscrape/scrape"
)

// Identity names a crawl: the settings that decide which URLs it fetches
// (start URLs, scope, allow and deny filters, depth, robots.txt, sitemaps)
// and the order it visits them in, as name → value. A state folder or a job
// remembers the identity it was made with and refuses another (see Check).
type Identity map[string]string

// ErrIdentityMismatch is returned (wrapped in an *IdentityError) when a state
// folder or job was made by a crawl with another identity.
var ErrIdentityMismatch = errors.New("state was made by another crawl")

// IdentityOf is the identity of the crawl cfg describes. It is computed from
// the canonical configuration: each start URL canonicalized
// (scrape.Canonicalize), sorted and deduplicated, and the scope defaulted
// (scrape.ScopeHost), so that https://Example.com and https://example.com/
// are one crawl. It fails on a start URL that cannot be canonicalized.
func IdentityOf(cfg scrape.Config) (Identity, error) {
	starts := make([]string, 0, len(cfg.Starts))
	for _, s := range cfg.Starts {
		c, err := scrape.Canonicalize(s)
		if err != nil {
			return nil, fmt.Errorf("resume: crawl identity: %w", err)
		}
		starts = append(starts, c)
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	scope := cfg.Scope
	if scope == "" {
		scope = scrape.ScopeHost
	}
	id := Identity{
		"start URLs":    jsonList(starts),
		"scope":         string(scope),
		"allow":         jsonList(sources(cfg.Allow)),
		"deny":          jsonList(sources(cfg.Deny)),
		"depth":         strconv.Itoa(cfg.Depth),
		"ignore-robots": strconv.FormatBool(cfg.IgnoreRobots),
		keySitemaps:     strconv.FormatBool(cfg.Sitemaps),
	}
	order, err := scrape.ParseOrder(string(cfg.Order))
	if err != nil {
		return nil, fmt.Errorf("resume: crawl identity: %w", err)
	}
	if order != scrape.OrderBreadth {
		id[keyOrder] = string(order)
	}
	return id, nil
}

// keyOrder is the identity's entry for scrape.Config.Order, present only
// for an order other than scrape.OrderBreadth (so that the identities of
// states made before there was a choice still match). The order is part of
// the identity because a state's queue is laid out by it: a crawl resumes
// in the order it started with.
const keyOrder = "order"

// keySitemaps is the identity's entry for scrape.Config.Sitemaps, which
// adds the URLs of the hosts' sitemaps to the crawl. States and jobs made
// before it was part of the identity do not have it: see laterKeys.
const keySitemaps = "sitemaps"

// laterKeys are the entries added to the identity after state folders and
// jobs existed without them. A stored identity without one was made before
// the setting was recorded, by a crawl that may have had it either way:
// Check does not compare it (such a state resumes whatever the setting, as
// it did before), and Job leaves it out, so that a job keeps its default
// name (two crawls that differ only there then share it, and the second is
// refused by Check, naming the setting).
var laterKeys = []string{keySitemaps}

// Order is the visiting order the identity records (scrape.OrderBreadth
// when it records none).
func (id Identity) Order() scrape.Order {
	if id[keyOrder] == string(scrape.OrderDepth) {
		return scrape.OrderDepth
	}
	return scrape.OrderBreadth
}

// sources are the regexps' source texts (nil for none).
func sources(res []*regexp.Regexp) []string {
	var out []string
	for _, re := range res {
		out = append(out, re.String())
	}
	return out
}

func jsonList(v []string) string {
	b, _ := json.Marshal(v) // a []string always encodes
	return string(b)
}

// Job is the job name derived from the identity: "crawl-" and 12 hex
// digits of the hash of its JSON encoding (map keys sorted: stable).
func (id Identity) Job() string {
	b, _ := json.Marshal(id.without(laterKeys)) // a map[string]string always encodes
	h := sha256.Sum256(b)
	return "crawl-" + hex.EncodeToString(h[:6])
}

// Encode is the identity as a backend stores it (JSON).
func (id Identity) Encode() ([]byte, error) {
	b, err := json.Marshal(id)
	if err != nil {
		return nil, fmt.Errorf("resume: encoding crawl identity: %w", err)
	}
	return b, nil
}

// Decode reads an identity Encode wrote.
func Decode(b []byte) (Identity, error) {
	var id Identity
	if err := json.Unmarshal(b, &id); err != nil {
		return nil, fmt.Errorf("resume: decoding the stored crawl identity: %w", err)
	}
	return id, nil
}

// Check compares the identity a state folder or job was made with (stored)
// with the one a crawl asks for (want): nil when they are equal, otherwise
// an *IdentityError naming where (the folder or job) and the differences.
// An entry added to the identity later (sitemaps) that stored does not
// have is not compared: the state was made before it was recorded.
func Check(where string, stored, want Identity) error {
	var older []string
	for _, k := range laterKeys {
		if _, ok := stored[k]; !ok {
			older = append(older, k)
		}
	}
	if diffs := stored.Diff(want.without(older)); len(diffs) > 0 {
		return &IdentityError{Where: where, Diffs: diffs}
	}
	return nil
}

// IdentityError says which settings differ between the stored identity and
// the one asked for.
type IdentityError struct {
	Where string   // the state folder or job
	Diffs []string // one line per differing setting
}

func (e *IdentityError) Error() string {
	return fmt.Sprintf("%s: %v: %s", e.Where, ErrIdentityMismatch, strings.Join(e.Diffs, "; "))
}

// Unwrap makes errors.Is(err, ErrIdentityMismatch) true.
func (e *IdentityError) Unwrap() error { return ErrIdentityMismatch }

// Diff lists the settings whose values differ between stored and want, in
// name order, each as `name is "x" there, "y" here`.
func (stored Identity) Diff(want Identity) []string {
	names := make([]string, 0, len(stored)+len(want))
	for k := range stored {
		names = append(names, k)
	}
	for k := range want {
		names = append(names, k)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var diffs []string
	for _, k := range names {
		a, inA := stored[k]
		b, inB := want[k]
		if a == b && inA == inB {
			continue
		}
		diffs = append(diffs, fmt.Sprintf("%s is %s there, %s here", k, quoteOrUnset(a, inA), quoteOrUnset(b, inB)))
	}
	return diffs
}

// without is a copy of id without the entries keys.
func (id Identity) without(keys []string) Identity {
	out := maps.Clone(id)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

func quoteOrUnset(v string, ok bool) string {
	if !ok {
		return "unset"
	}
	return fmt.Sprintf("%q", v)
}
