package hostile

import (
	"fmt"
	"net/http"
	"strings"
)

// DeepPage is an HTML page nested deeper than golang.org/x/net/html parses
// (512 open elements): an <h1>, then Depth <span class="level"> elements
// with text, a link to /deep-link in the deepest one (class "last"), then
// a <p class="after"> and a link to /after. With Closed the spans are
// closed before the paragraph, else they are never closed.
type DeepPage struct {
	Depth  int
	Closed bool
}

// ServeHTTP writes the page.
func (d DeepPage) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><title>Deep page</title></head><body>\n<h1>Top heading</h1>\n")
	for i := 1; i < d.Depth; i++ {
		fmt.Fprintf(&b, `<span class="level">level %d `, i)
	}
	fmt.Fprintf(&b, `<span class="level last">level %d <a href="/deep-link">deep link</a>`, d.Depth)
	if d.Closed {
		b.WriteString(strings.Repeat("</span>", d.Depth))
	}
	b.WriteString("\n<p class=\"after\">After the deep part</p><a href=\"/after\">after</a>\n</body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}
