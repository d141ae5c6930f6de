package hostile

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// DeadEndsPhotoSize is the declared size of DeadEnds' /photo.
const DeadEndsPhotoSize = 5000

// DeadEndsHugeSize is the Content-Length DeadEnds' /huge declares (it
// sends 1 KiB of it).
const DeadEndsHugeSize = 1 << 30

// DeadEndsPage is the body of DeadEnds' /page.
const DeadEndsPage = `<title>Page</title>`

// DeadEnds is a site of pages that end badly, each linked from /:
// /gone answers 404, /boom 500, /self redirects to itself, /loop1 and /loop2
// redirect to each other, /chain/N redirects to /chain/N+1 without end,
// /photo is a JPEG (not textual: its body is skipped) of DeadEndsPhotoSize
// bytes, /huge declares DeadEndsHugeSize bytes of HTML, /page is
// DeadEndsPage. /robots.txt is a 404.
type DeadEnds struct{}

// ServeHTTP serves the site.
func (DeadEnds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/":
		fmt.Fprint(w, `<title>Dead ends</title><a href="/gone">gone</a><a href="/boom">boom</a>`+
			`<a href="/self">self</a><a href="/loop1">loop</a><a href="/chain/0">chain</a>`+
			`<a href="/photo">photo</a><a href="/huge">huge</a><a href="/page">page</a>`)
	case p == "/boom":
		http.Error(w, "boom", http.StatusInternalServerError)
	case p == "/self":
		http.Redirect(w, r, "/self", http.StatusFound)
	case p == "/loop1":
		http.Redirect(w, r, "/loop2", http.StatusFound)
	case p == "/loop2":
		http.Redirect(w, r, "/loop1", http.StatusFound)
	case strings.HasPrefix(p, "/chain/"):
		n, _ := strconv.Atoi(strings.TrimPrefix(p, "/chain/"))
		http.Redirect(w, r, "/chain/"+strconv.Itoa(n+1), http.StatusFound)
	case p == "/photo":
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("Content-Length", strconv.Itoa(DeadEndsPhotoSize))
		w.Write(make([]byte, DeadEndsPhotoSize))
	case p == "/huge": // declared over any sane body limit; a client must not read it
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(DeadEndsHugeSize))
		w.Write(make([]byte, 1024))
	case p == "/page":
		fmt.Fprint(w, DeadEndsPage)
	default:
		http.NotFound(w, r)
	}
}
