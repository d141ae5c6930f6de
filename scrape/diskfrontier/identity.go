package diskfrontier

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Identity names a crawl: the settings that decide which URLs it fetches
// (start URLs, scope, allow and deny filters, depth...), as name → value.
// A state folder remembers the identity it was made with, and Open refuses
// another, so two different crawls are never silently mixed.
type Identity map[string]string

// ErrIdentityMismatch is returned (wrapped in an *IdentityError) when a state
// folder was made by a crawl with another identity.
var ErrIdentityMismatch = errors.New("state was made by another crawl")

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
	names := map[string]bool{}
	for k := range stored {
		names[k] = true
	}
	for k := range want {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var diffs []string
	for _, k := range sorted {
		a, inA := stored[k]
		b, inB := want[k]
		if a == b && inA == inB {
			continue
		}
		diffs = append(diffs, fmt.Sprintf("%s is %s there, %s here", k, quoteOrUnset(a, inA), quoteOrUnset(b, inB)))
	}
	return diffs
}

func quoteOrUnset(v string, ok bool) string {
	if !ok {
		return "unset"
	}
	return fmt.Sprintf("%q", v)
}

func (id Identity) encode() ([]byte, error) { return json.Marshal(id) }

func decodeIdentity(b []byte) (Identity, error) {
	var id Identity
	if err := json.Unmarshal(b, &id); err != nil {
		return nil, fmt.Errorf("decoding the stored crawl identity: %w", err)
	}
	return id, nil
}
