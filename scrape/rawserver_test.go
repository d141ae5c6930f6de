package scrape

import (
	"crypto/tls"
	"net"
	"sync"
	"testing"
)

// rawServer is the listening part of a raw-TCP test server: it accepts
// connections on a loopback port (over TLS with a tls.Config), serves each
// with serve on a goroutine of its own, and on close cuts them all and
// waits for those goroutines.
type rawServer struct {
	ln     net.Listener
	serve  func(net.Conn)
	wg     sync.WaitGroup
	connMu sync.Mutex
	conns  []net.Conn
}

// startRawServer listens on a loopback port, over TLS if tlsCfg is not
// nil, and serves each connection with serve, which need not close it.
func startRawServer(t *testing.T, tlsCfg *tls.Config, serve func(net.Conn)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{ln: ln, serve: serve}
	if tlsCfg != nil {
		s.ln = tls.NewListener(ln, tlsCfg)
	}
	s.wg.Add(1)
	go s.accept()
	return s
}

func (s *rawServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.connMu.Lock()
		s.conns = append(s.conns, c)
		s.connMu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.serve(c)
		}()
	}
}

func (s *rawServer) close() {
	s.ln.Close()
	s.connMu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.connMu.Unlock()
	s.wg.Wait()
}
