package hostile

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// CookieFlood is a chain of pages /flood/0 ... /flood/{Pages-1}, each
// setting PerPage new cookies (names never seen before) with values of
// Size bytes and linking to the next. It records the Cookie header each
// page request arrives with.
type CookieFlood struct {
	Pages, PerPage, Size int

	mu       sync.Mutex
	received map[int]string // page → its request's Cookie header
}

// ServeHTTP serves /flood/N.
func (f *CookieFlood) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/flood/"))
	if err != nil || n < 0 || n >= f.Pages {
		http.NotFound(w, r)
		return
	}
	f.mu.Lock()
	if f.received == nil {
		f.received = map[int]string{}
	}
	f.received[n] = strings.Join(r.Header.Values("Cookie"), "; ")
	f.mu.Unlock()
	value := strings.Repeat("v", f.Size)
	for i := 0; i < f.PerPage; i++ {
		http.SetCookie(w, &http.Cookie{Name: fmt.Sprintf("p%d_%d", n, i), Value: value, Path: "/"})
	}
	w.Header().Set("Content-Type", "text/html")
	fmt.Fprintf(w, "<title>flood %d</title>", n)
	if n+1 < f.Pages {
		fmt.Fprintf(w, `<a href="/flood/%d">next</a>`, n+1)
	}
}

// Received returns the Cookie header that page n's request carried, and
// whether page n was requested.
func (f *CookieFlood) Received(n int) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, ok := f.received[n]
	return h, ok
}
