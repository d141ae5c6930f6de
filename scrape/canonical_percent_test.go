package scrape

import "testing"

// TestCanonicalLonePercent: a decoded unreserved hex digit does not make an
// escape of a "%" that starts none before it ("%7%41" decoded is "%7A",
// which canonicalized again is "z"): the canonical form is a fixed point.
// (In a path the WHATWG parser encodes such a "%" as "%25" first; in a
// query it keeps it.)
func TestCanonicalLonePercent(t *testing.T) {
	for raw, want := range map[string]string{
		"http:0?%7%41":                  "http://0.0.0.0/?%7%41",
		"http://example.com/?%7%41":     "http://example.com/?%7%41",
		"http://example.com/?%%41%42":   "http://example.com/?%%41B",
		"http://example.com/?%%41x":     "http://example.com/?%%41x",
		"http://example.com/?%7%47":     "http://example.com/?%7G",
		"http://example.com/?%41%42%7e": "http://example.com/?AB~",
		"http://example.com/p/%7%41":    "http://example.com/p/%257A",
		"http://example.com/%2F%41":     "http://example.com/%2FA",
	} {
		c, err := Canonicalize(raw)
		if err != nil || c != want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", raw, c, err, want)
			continue
		}
		checkCanonicalFixedPoint(t, raw, c)
	}
}
