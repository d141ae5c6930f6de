package scrape

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/andybalholm/cascadia"
)

// ErrBadRule is returned for an extraction rule that does not parse.
var ErrBadRule = errors.New("scrape: bad extraction rule")

// RuleKind says how a rule matches a page.
type RuleKind string

// The kinds of extraction rule.
const (
	RegexRule RuleKind = "regex" // a regular expression on the decoded page source
	CSSRule   RuleKind = "css"   // a CSS selector; text of, or an attribute of, each element
)

// Rule is one extraction rule: a name, and a regular expression or a CSS
// selector (with an attribute to take, or the text). It is plain data
// (gob-encodable), so it can travel to a worker process, where the crawl
// compiles it again.
type Rule struct {
	Name    string
	Kind    RuleKind
	Pattern string // the regular expression or the CSS selector
	Attr    string // for a CSS rule: the attribute to take; empty for the text
}

// ParseRule parses a rule written as NAME=PATTERN (kind RegexRule),
// NAME=SELECTOR or NAME=SELECTOR@attr (kind CSSRule), and checks that the
// pattern or selector compiles, so a bad rule fails before any request.
func ParseRule(kind RuleKind, spec string) (Rule, error) {
	name, pat, ok := strings.Cut(spec, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" || pat == "" {
		return Rule{}, fmt.Errorf("%w %q: want NAME=%s", ErrBadRule, spec, map[RuleKind]string{RegexRule: "PATTERN", CSSRule: "SELECTOR or NAME=SELECTOR@attr"}[kind])
	}
	r := Rule{Name: name, Kind: kind, Pattern: pat}
	if kind == CSSRule {
		if i := strings.LastIndexByte(pat, '@'); i >= 0 && !strings.ContainsAny(pat[i:], "]) ") {
			r.Pattern, r.Attr = strings.TrimSpace(pat[:i]), strings.TrimSpace(pat[i+1:])
			if r.Attr == "" || r.Pattern == "" {
				return Rule{}, fmt.Errorf("%w %q: empty selector or attribute around @", ErrBadRule, spec)
			}
		}
	}
	if _, err := r.compile(); err != nil {
		return Rule{}, err
	}
	return r, nil
}

// matcher is a compiled rule.
type matcher struct {
	rule Rule
	re   *regexp.Regexp
	sel  cascadia.Selector
}

func (r Rule) compile() (matcher, error) {
	m := matcher{rule: r}
	var err error
	switch r.Kind {
	case RegexRule:
		m.re, err = regexp.Compile(r.Pattern)
	case CSSRule:
		m.sel, err = cascadia.Compile(r.Pattern)
	default:
		err = fmt.Errorf("unknown kind %q", r.Kind)
	}
	if err != nil {
		return matcher{}, fmt.Errorf("%w %s=%s: %w", ErrBadRule, r.Name, r.Pattern, err)
	}
	return m, nil
}

// RuleNames returns the rules' names in order, without repeats: the CSV
// columns of the matches.
func RuleNames(rules []Rule) []string {
	seen := map[string]bool{}
	var names []string
	for _, r := range rules {
		if !seen[r.Name] {
			seen[r.Name] = true
			names = append(names, r.Name)
		}
	}
	return names
}
