package testsite

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestCloseDropsUnusedConnections: a client that opened a connection and
// sent nothing on it does not hold Close up. http.Server.Shutdown alone
// waits 5 s for such a connection; Close here is given a context that
// ends sooner, and must return without that context's error (and with
// the connection closed).
func TestCloseDropsUnusedConnections(t *testing.T) {
	site, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	sv, err := site.Start("")
	if err != nil {
		t.Fatal(err)
	}
	idle, err := net.Dial("tcp", sv.URL[len("http://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	// The server accepts connections in the order they came: once a
	// request on a second one is answered, it has accepted the idle one.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(sv.URL + "/page/3")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second) // Shutdown's wait for it: 5 s
	defer cancel()
	if err := sv.Close(ctx); err != nil {
		t.Fatalf("Close with an unused connection open: %v", err)
	}
	if n, err := idle.Read(make([]byte, 1)); err == nil {
		t.Errorf("the unused connection is still open after Close: read %d bytes", n)
	}
}
