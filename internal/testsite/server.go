package testsite

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
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

	mu      sync.Mutex
	closing bool                   // Close has begun: a new connection is closed at once
	fresh   map[net.Conn]bool      // connections that have not sent a request yet
	closed  map[net.Conn]chan bool // fresh ones Close closed, until the server lets them go
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
		URL:    "http://" + ln.Addr().String(),
		done:   make(chan error, 1),
		fresh:  map[net.Conn]bool{},
		closed: map[net.Conn]chan bool{},
	}
	sv.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ConnState: sv.connState}
	go func() { sv.done <- sv.srv.Serve(ln) }()
	return sv, nil
}

// connState tracks the connections that have not sent a request yet,
// which http.Server.Shutdown would wait for (up to 5 s) as if they were
// about to.
func (sv *Server) connState(c net.Conn, st http.ConnState) {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	switch st {
	case http.StateNew:
		sv.fresh[c] = true
		if sv.closing {
			sv.closeFresh(c)
		}
	case http.StateClosed, http.StateHijacked:
		delete(sv.fresh, c)
		if gone, ok := sv.closed[c]; ok {
			close(gone)
			delete(sv.closed, c)
		}
	default:
		delete(sv.fresh, c)
	}
}

// closeFresh closes a connection that has sent no request; sv.mu is held.
func (sv *Server) closeFresh(c net.Conn) {
	delete(sv.fresh, c)
	sv.closed[c] = make(chan bool)
	_ = c.Close()
}

// Close stops the server: it stops listening, closes at once the
// connections on which no request has come yet, waits for the requests
// being answered until ctx ends, then closes every connection.
func (sv *Server) Close(ctx context.Context) error {
	sv.mu.Lock()
	sv.closing = true
	for c := range sv.fresh {
		sv.closeFresh(c)
	}
	var gone []chan bool
	for _, ch := range sv.closed {
		gone = append(gone, ch)
	}
	sv.mu.Unlock()
	for _, ch := range gone { // so that Shutdown does not find them there
		select {
		case <-ch:
		case <-ctx.Done():
		}
	}
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
