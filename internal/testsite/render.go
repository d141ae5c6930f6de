package testsite

import (
	"bytes"
	"html"
)

// render returns the body of p as served: its raw bytes, or its HTML
// encoded in p's charset and padded to p.padTo.
func (p *page) render() []byte {
	if p.raw != nil {
		return p.raw
	}
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html><head>")
	if p.metaCharset != "" {
		b.WriteString(`<meta charset="` + p.metaCharset + `">`)
	} else if p.enc == nil {
		b.WriteString(`<meta charset="utf-8">`)
	}
	b.WriteString("<title>" + html.EscapeString(p.title) + "</title></head>\n<body>\n")
	if p.heading != "" {
		b.WriteString("<h1>" + html.EscapeString(p.heading) + "</h1>\n")
	}
	for _, para := range p.paras {
		b.WriteString("<p>" + html.EscapeString(para) + "</p>\n")
	}
	for _, sku := range p.skus {
		b.WriteString(`<p>Item <span class="sku">` + html.EscapeString(sku) + "</span></p>\n")
	}
	p.renderLinks(&b)
	if p.padTo > 0 {
		pad(&b, p.padTo-b.Len()-len("</p>\n</body></html>\n"))
	}
	b.WriteString("</body></html>\n")
	return p.encode(b.Bytes())
}

// renderLinks writes p's links as a list.
func (p *page) renderLinks(b *bytes.Buffer) {
	if len(p.links) == 0 {
		return
	}
	b.WriteString("<ul>\n")
	for _, l := range p.links {
		b.WriteString(`<li><a href="` + html.EscapeString(l.href) + `"`)
		if l.class != "" {
			b.WriteString(` class="` + l.class + `"`)
		}
		b.WriteString(">" + html.EscapeString(l.text) + "</a></li>\n")
	}
	b.WriteString("</ul>\n")
}

// pad writes a paragraph of filler text bringing b to n more bytes in all,
// the closing tag included (at least the empty paragraph).
func pad(b *bytes.Buffer, n int) {
	b.WriteString("<p>")
	const filler = "lorem ipsum dolor sit amet "
	for n -= len("<p>"); n > 0; n -= len(filler) {
		b.WriteString(filler[:min(n, len(filler))])
	}
	b.WriteString("</p>\n")
}

// encode converts UTF-8 HTML to p's charset.
func (p *page) encode(utf8 []byte) []byte {
	if p.enc == nil {
		return utf8
	}
	out, err := p.enc.NewEncoder().Bytes(utf8)
	if err != nil { // every page's text is chosen to fit its charset
		return utf8
	}
	return out
}
