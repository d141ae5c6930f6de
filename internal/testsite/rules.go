package testsite

import (
	"regexp"
	"strings"
)

// Rule is an extraction rule the site's pages have known matches for, in
// the shape of poolscrape crawl's --regex and --css flags.
type Rule struct {
	// Name is the rule's name (the key in a record's matches).
	Name string
	// Kind is "regex" or "css".
	Kind string
	// Expr is the pattern (regex: the first capture group is the match when
	// there is one, else the whole match) or the selector (css: the element's
	// text, or with "@attr" the attribute's raw value).
	Expr string
}

// Flag returns the rule as a poolscrape crawl flag, e.g. "--css=sku=span.sku".
func (r Rule) Flag() string { return "--" + r.Kind + "=" + r.Name + "=" + r.Expr }

// Spec returns the flag's value, NAME=EXPR.
func (r Rule) Spec() string { return r.Name + "=" + r.Expr }

// Rules are the extraction rules the site is built to test. Their matches
// on each path are given by Info.Matches. The regexes match only text (never
// markup), so they give the same results on the page's source as on its
// text content.
var Rules = []Rule{
	{Name: "email", Kind: "regex", Expr: `[a-z0-9.]+@example\.test`},
	{Name: "price", Kind: "regex", Expr: `\$(\d+\.\d\d)`},
	{Name: "heading", Kind: "css", Expr: "h1"},
	{Name: "sku", Kind: "css", Expr: "span.sku"},
	{Name: "author", Kind: "css", Expr: "a.author@href"},
}

// RuleNames returns the names of Rules in order (the CSV columns a crawl
// with Rules has).
func RuleNames() []string {
	names := make([]string, len(Rules))
	for i, r := range Rules {
		names[i] = r.Name
	}
	return names
}

// regexRules holds the compiled regex Rules, by name.
var regexRules = compileRegexRules()

func compileRegexRules() map[string]*regexp.Regexp {
	m := make(map[string]*regexp.Regexp)
	for _, r := range Rules {
		if r.Kind == "regex" {
			m[r.Name] = regexp.MustCompile(r.Expr)
		}
	}
	return m
}

// regexMatches returns the distinct matches of re in text, in order: the
// first capture group when re has one, else the whole match.
func regexMatches(re *regexp.Regexp, text string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		v := m[0]
		if len(m) > 1 {
			v = m[1]
		}
		out = appendDistinct(out, v)
	}
	return out
}

// appendDistinct appends v to list unless it is already there.
func appendDistinct(list []string, v string) []string {
	for _, have := range list {
		if have == v {
			return list
		}
	}
	return append(list, v)
}

// cssMatches returns the known matches of a css rule on a page model.
func cssMatches(name string, p *page) []string {
	var out []string
	switch name {
	case "heading":
		if p.heading != "" {
			out = append(out, p.heading)
		}
	case "sku":
		for _, s := range p.skus {
			out = appendDistinct(out, s)
		}
	case "author":
		for _, l := range p.links {
			if strings.Contains(" "+l.class+" ", " author ") {
				out = appendDistinct(out, l.href)
			}
		}
	}
	return out
}
