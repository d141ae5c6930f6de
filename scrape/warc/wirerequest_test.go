package warc_test

import (
	"net/http"
	"testing"

	"github.com/poolscrape/poolscrape/scrape/warc"
)

// TestWireRequestHead: the wire head is kept as it is (order, case, the
// fields net/http adds, an absolute-form target) but for the values of its
// credential fields, whatever their case and spacing, a folded
// continuation of one dropped; a wire head that is not req's (another
// method, target, host or field value, or not a head) gives way to
// RequestHead.
func TestWireRequestHead(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://h.test/p?q=1", nil)
	req.Header = http.Header{"User-Agent": {"ua"}, "X-B": {"1", "2"}, "Cookie": {"sid=abc; t=d"}, "authorization": {"Bearer tok"}}
	wire := "GET http://h.test/p?q=1 HTTP/1.1\r\nHost: h.test\r\nUser-Agent: ua\r\nX-B: 1\r\nX-B: 2\r\n" +
		"cookie:\tsid=abc; t=d\r\nauthorization: Bearer tok\r\nPROXY-AUTHORIZATION: Basic cGF0OnB3\r\n folded-secret\r\nAccept-Encoding: gzip\r\n\r\n"
	want := "GET http://h.test/p?q=1 HTTP/1.1\r\nHost: h.test\r\nUser-Agent: ua\r\nX-B: 1\r\nX-B: 2\r\n" +
		"cookie:\tsid=[redacted]; t=[redacted]\r\nauthorization: Bearer [redacted]\r\nPROXY-AUTHORIZATION: Basic [redacted]\r\nAccept-Encoding: gzip\r\n\r\n"
	if got := string(warc.WireRequestHead([]byte(wire), req)); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	rebuilt := string(warc.RequestHead(req))
	for _, other := range []string{
		"POST /p?q=1 HTTP/1.1\r\nHost: h.test\r\nUser-Agent: ua\r\nX-B: 1\r\nX-B: 2\r\nCookie: sid=abc; t=d\r\nAuthorization: Bearer tok\r\n\r\n",
		"GET /other HTTP/1.1\r\nHost: h.test\r\nUser-Agent: ua\r\nX-B: 1\r\nX-B: 2\r\nCookie: sid=abc; t=d\r\nAuthorization: Bearer tok\r\n\r\n",
		"GET /p?q=1 HTTP/1.1\r\nHost: other.test\r\nUser-Agent: ua\r\nX-B: 1\r\nX-B: 2\r\nCookie: sid=abc; t=d\r\nAuthorization: Bearer tok\r\n\r\n",
		"GET /p?q=1 HTTP/1.1\r\nHost: h.test\r\nUser-Agent: ua\r\nX-B: 1\r\nCookie: sid=abc; t=d\r\nAuthorization: Bearer tok\r\n\r\n",
		"GET /p?q=1 HTTP/1.1\r\nHost: h.test\r\nUser-Agent: other\r\nX-B: 1\r\nX-B: 2\r\nCookie: sid=abc; t=d\r\nAuthorization: Bearer tok\r\n\r\n",
		"GET /p?q=1 HTTP/1.1\r\nHost: h.test\r\nUser-Agent: ua\r\nX-B: 1\r\nX-B: 2\r\nCookie: sid=abc; t=d\r\n\r\n",
		"HTTP/1.1 200 OK\r\n\r\n",
	} {
		if got := string(warc.WireRequestHead([]byte(other), req)); got != rebuilt {
			t.Errorf("wire %q for another request: got %q, want RequestHead's %q", other, got, rebuilt)
		}
	}
	if got := string(warc.WireRequestHead(nil, req)); got != rebuilt {
		t.Errorf("no wire head: got %q, want RequestHead's %q", got, rebuilt)
	}
}
