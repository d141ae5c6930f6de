package warc_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"

	"github.com/poolscrape/poolscrape/scrape/warc"
)

func parsed(t *testing.T, head string) *http.Response {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(head)), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// TestWireResponseHead: the wire head is kept as it is but for its
// Transfer-Encoding fields (folded lines too); a wire head that is not the
// one resp was parsed from (another field, value or status) gives way to
// ResponseHead.
func TestWireResponseHead(t *testing.T) {
	wire := "HTTP/1.1 200 OK\r\nx-b: 1\r\nTRANSFER-ENCODING: chunked\r\nX-A: 2\r\nx-b: 3\r\n\r\n"
	if got, want := string(warc.WireResponseHead([]byte(wire), parsed(t, wire))), "HTTP/1.1 200 OK\r\nx-b: 1\r\nX-A: 2\r\nx-b: 3\r\n\r\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	folded := "HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\tchunked\r\nX-A: 2\r\n\r\n"
	if got, want := string(warc.WireResponseHead([]byte(folded), parsed(t, folded))), "HTTP/1.1 200 OK\r\nX-A: 2\r\n\r\n"; got != want {
		t.Errorf("folded: got %q, want %q", got, want)
	}
	resp := parsed(t, "HTTP/1.1 200 OK\r\nX-A: 2\r\n\r\n")
	for _, other := range []string{"HTTP/1.1 200 OK\r\nX-A: 3\r\n\r\n", "HTTP/1.1 200 OK\r\nX-A: 2\r\nX-B: 1\r\n\r\n",
		"HTTP/1.1 201 OK\r\nX-A: 2\r\n\r\n", "HTTP/1.0 200 OK\r\nX-A: 2\r\n\r\n", "not HTTP\r\n\r\n"} {
		if got, want := string(warc.WireResponseHead([]byte(other), resp)), string(warc.ResponseHead(resp)); got != want {
			t.Errorf("wire %q for another head: got %q, want ResponseHead's %q", other, got, want)
		}
	}
}
