package scrape

import (
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// pageData is what extraction works on: one fetched body and where it came from.
// It is plain data (gob-encodable) so it can be sent to a worker process.
type pageData struct {
	URL         string // the final URL, after redirects: the base for links
	ContentType string
	Body        []byte // read only: the extracted text shares it (decodeBody)
}

// extracted is what extraction yields for a page.
type extracted struct {
	Title   string
	Matches map[string][]string // rule name → distinct matches in page order
	Links   []string            // canonical absolute http(s) links, distinct, in page order
	Err     string              // what part of the page could not be extracted, and why; "" if none
}

// extractor runs a fixed list of rules on pages. It is safe for concurrent
// use.
//
// Regex rules run on the whole page source decoded to UTF-8 (markup
// included, so attribute values match too); a rule whose pattern has a
// capture group yields its first group, otherwise the whole match. CSS rules
// run with goquery on the parsed page: NAME=SELECTOR yields each element's
// text with whitespace runs collapsed to one space, NAME=SELECTOR@attr the
// attribute's value (elements without it are skipped). Every rule keeps its
// non-empty matches once each, in page order.
type extractor struct {
	matchers []matcher
	names    []string // RuleNames of the rules
	slot     []int    // matchers[i] pools its matches with the others of names[slot[i]]
	hasCSS   bool
}

// newExtractor compiles rules. The names need not be unique: rules with one
// name pool their matches.
func newExtractor(rules []Rule) (*extractor, error) {
	e := &extractor{names: RuleNames(rules)}
	for _, r := range rules {
		m, err := r.compile()
		if err != nil {
			return nil, err
		}
		e.matchers = append(e.matchers, m)
		e.slot = append(e.slot, slices.Index(e.names, r.Name))
		e.hasCSS = e.hasCSS || r.Kind == CSSRule
	}
	return e, nil
}

// Extract decodes the page to UTF-8 and returns its title, matches and links.
// A non-textual page (not text/*, HTML, XML or JSON) yields nothing. A page
// nested deeper than the HTML parser takes is flattened past that depth, as
// browsers do; one that still does not parse yields no CSS matches and says
// so in Err.
func (e *extractor) Extract(p pageData) extracted {
	out := extracted{Matches: make(map[string][]string, len(e.names))}
	for _, name := range e.names {
		out.Matches[name] = nil
	}
	if !isTextual(p.ContentType) || len(p.Body) == 0 {
		return out
	}
	text := decodeBody(p.Body, p.ContentType)
	out.Title, out.Links = scanHTML(text, p.URL)
	sets := make([]orderedSet, len(e.names)) // by slot
	for i, m := range e.matchers {
		if m.re != nil {
			regexMatches(m, text, &sets[e.slot[i]])
		}
	}
	if e.hasCSS {
		if err := e.cssMatches(text, sets); err != nil {
			out.Err = err.Error()
		}
	}
	for i, name := range e.names {
		out.Matches[name] = sets[i].items
	}
	return out
}

func regexMatches(m matcher, text string, set *orderedSet) {
	group := 0
	if m.re.NumSubexp() > 0 {
		group = 1
	}
	eachMatch(m.re, text, func(idx []int) {
		if idx[2*group] >= 0 {
			set.add(text[idx[2*group]:idx[2*group+1]])
		}
	})
}

// cssMatches runs the CSS rules on the parsed page (see parseHTML); a page
// that does not parse fails them all with errTooDeep.
func (e *extractor) cssMatches(text string, sets []orderedSet) error {
	root, err := parseHTML(text)
	if err != nil {
		return err
	}
	doc := goquery.NewDocumentFromNode(root)
	for i, m := range e.matchers {
		if m.re != nil {
			continue
		}
		set := &sets[e.slot[i]]
		doc.FindMatcher(m.sel).Each(func(_ int, s *goquery.Selection) {
			if m.rule.Attr == "" {
				set.add(strings.Join(strings.Fields(s.Text()), " "))
			} else if v, ok := s.Attr(m.rule.Attr); ok {
				set.add(strings.TrimSpace(v))
			}
		})
	}
	return nil
}

// orderedSet keeps distinct non-empty strings in the order first added.
type orderedSet struct {
	items []string
	seen  map[string]bool // nil while items are few enough to search one by one
}

// maxLinear is how many strings a set (orderedSet, hasLink) searches one
// by one before it builds a map.
const maxLinear = 16

func (s *orderedSet) add(v string) {
	if v == "" {
		return
	}
	if s.seen == nil {
		if slices.Contains(s.items, v) {
			return
		}
		if len(s.items) < maxLinear {
			s.items = append(s.items, v)
			return
		}
		s.seen = make(map[string]bool, 2*len(s.items))
		for _, it := range s.items {
			s.seen[it] = true
		}
	}
	if !s.seen[v] {
		s.seen[v] = true
		s.items = append(s.items, v)
	}
}
