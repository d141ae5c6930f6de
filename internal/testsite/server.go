package testsite

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server is a Site served over HTTP on a TCP listener, for
// `poolscrape bench` and for tests that run the crawler as a separate
// process.
type Server struct {
	// URL is the server's base URL, "http://127.0.0.1:PORT" (no slash).
	URL string

	srv  *http.Server
	done chan error
}

// Start serves s on addr ("" means "127.0.0.1:0", a free loopback port)
// until Close.
func (s *Site) Start(addr string) (*Server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("testsite: listen on %q: %w", addr, err)
	}
	sv := &Server{
		URL:  "http://" + ln.Addr().String(),
		srv:  &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second},
		done: make(chan error, 1),
	}
	go func() { sv.done <- sv.srv.Serve(ln) }()
	return sv, nil
}

// Close stops the server: it stops listening, waits for the requests being
// answered until ctx ends, then closes every connection.
func (sv *Server) Close(ctx context.Context) error {
	err := sv.srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, sv.srv.Close())
	}
	if serr := <-sv.done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("testsite: close %s: %w", sv.URL, err)
	}
	return nil
}
