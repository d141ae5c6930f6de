package scrape

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// errTooDeep fails the CSS rules of a page that golang.org/x/net/html cannot
// parse (it refuses more than 512 open elements) even with its deep part
// flattened; the record says so in its error.
var errTooDeep = errors.New("scrape: page nested too deep to parse for CSS rules")

// flattenDepths are the nesting depths parseHTML flattens a page to, in
// turn, when the parser refuses it. The parser's own depth can exceed the
// depth counted on tags (implied elements, reconstructed formatting
// elements), hence the smaller tries.
var flattenDepths = []int{384, 192, 96}

// parseHTML parses a page as browsers do: a page the parser refuses for
// its depth is parsed again with the elements past a depth made siblings
// at that depth (what Blink and WebKit do past 512), keeping all its
// content, before and after the deep part.
func parseHTML(text string) (*html.Node, error) {
	doc, err := html.Parse(strings.NewReader(text))
	if err == nil {
		return doc, nil
	}
	for _, d := range flattenDepths {
		if doc, ferr := html.Parse(strings.NewReader(flattenDeep(text, d))); ferr == nil {
			return doc, nil
		}
	}
	return nil, fmt.Errorf("%w: %w", errTooDeep, err)
}

// openTag is an element on flattenDeep's stack of open elements.
type openTag struct {
	name string
	deep bool // past the depth: written as a sibling at the depth
}

// flattener rewrites a token stream so that no more than depth elements
// are open at once: an element that would open past the depth is written
// as a sibling of the one before it there (that one is closed first); its
// end tag, or an end tag of an element below, closes it.
type flattener struct {
	out   strings.Builder
	depth int
	stack []openTag
	open  map[string]int // elements on the stack by name: no scan for an end tag that matches none
	deep  int            // index of the deep element open in the output, or -1
}

// flattenDeep returns text with its nesting flattened past depth elements.
// Depth is counted on tags, with void elements, self-closing foreign
// elements and implied ends of p, li, dt, dd and option handled.
func flattenDeep(text string, depth int) string {
	f := &flattener{depth: depth, deep: -1, open: map[string]int{}}
	f.out.Grow(len(text))
	z := html.NewTokenizer(strings.NewReader(text))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return f.out.String()
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			f.start(string(name), tt == html.SelfClosingTagToken, z.Raw())
		case html.EndTagToken:
			name, _ := z.TagName()
			f.end(string(name), z.Raw())
		default:
			f.out.Write(z.Raw())
		}
	}
}

func (f *flattener) start(name string, selfClosing bool, raw []byte) {
	if isVoid(name) || (selfClosing && f.inForeign()) {
		f.out.Write(raw)
		return
	}
	if impliesEnd(name) && len(f.stack) > 0 && f.stack[len(f.stack)-1].name == name {
		f.end(name, []byte("</"+name+">"))
	}
	deep := len(f.stack) >= f.depth
	if deep && f.deep >= 0 {
		f.closeDeep()
	}
	if deep {
		f.deep = len(f.stack)
	}
	f.stack = append(f.stack, openTag{name: name, deep: deep})
	f.open[name]++
	f.out.Write(raw)
}

// end pops to the nearest open element of that name; an end tag that
// matches none is written as is, for the parser to deal with. The end tag
// of a deep element closed already (by the next deep sibling) is dropped.
func (f *flattener) end(name string, raw []byte) {
	for i := len(f.stack) - 1; i >= 0 && f.open[name] > 0; i-- {
		if f.stack[i].name != name {
			continue
		}
		if f.deep > i {
			f.closeDeep()
		}
		if !f.stack[i].deep || f.deep == i {
			f.out.Write(raw)
		}
		if f.deep == i {
			f.deep = -1
		}
		for _, t := range f.stack[i:] {
			f.open[t.name]--
		}
		f.stack = f.stack[:i]
		return
	}
	f.out.Write(raw)
}

// closeDeep writes the end tag of the deep element open in the output.
func (f *flattener) closeDeep() {
	f.out.WriteString("</" + f.stack[f.deep].name + ">")
	f.deep = -1
}

func (f *flattener) inForeign() bool { return f.open["svg"] > 0 || f.open["math"] > 0 }

// isVoid reports the elements that have no end tag and no content.
func isVoid(name string) bool {
	switch atom.Lookup([]byte(name)) {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Keygen, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// impliesEnd reports the elements a start tag of their own name closes.
func impliesEnd(name string) bool {
	switch name {
	case "p", "li", "dt", "dd", "option":
		return true
	}
	return false
}
