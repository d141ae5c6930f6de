// Package socksproxy is a minimal SOCKS5 server (RFC 1928: no
// authentication, CONNECT only) for tests: it listens on loopback, sends
// every connection to one fixed address whatever was asked, and keeps the
// addresses asked for.
package socksproxy

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"time"
)

// Server is a running SOCKS5 server.
type Server struct {
	ln     net.Listener
	target string // where every CONNECT goes
	wg     sync.WaitGroup

	mu    sync.Mutex
	asked []string
	conns map[net.Conn]bool
}

// Start listens on 127.0.0.1 and connects every CONNECT to target
// (host:port). Close it when done.
func Start(target string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, target: target, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Asked returns the addresses the clients asked to CONNECT to, in order.
func (s *Server) Asked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.asked...)
}

// Close stops the server and ends its connections.
func (s *Server) Close() {
	_ = s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *Server) track(c net.Conn, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on {
		s.conns[c] = true
	} else {
		delete(s.conns, c)
	}
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.track(c, true)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.track(c, false)
			defer c.Close()
			_ = s.serve(c)
		}()
	}
}

// serve runs one client: greeting, CONNECT, then the relay.
func (s *Server) serve(c net.Conn) error {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	var hdr [2]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil || hdr[0] != 5 {
		return errors.New("not SOCKS5")
	}
	if _, err := io.CopyN(io.Discard, c, int64(hdr[1])); err != nil {
		return err
	}
	if _, err := c.Write([]byte{5, 0}); err != nil { // no authentication
		return err
	}
	addr, err := readConnect(c)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.asked = append(s.asked, addr)
	s.mu.Unlock()
	up, err := net.Dial("tcp", s.target)
	if err != nil {
		_, _ = c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		return err
	}
	defer up.Close()
	if _, err := c.Write([]byte{5, 0, 0, 1, 127, 0, 0, 1, 0, 0}); err != nil {
		return err
	}
	_ = c.SetDeadline(time.Time{})
	s.track(up, true)
	defer s.track(up, false)
	done := make(chan struct{})
	go func() { _, _ = io.Copy(up, c); _ = up.Close(); close(done) }()
	_, _ = io.Copy(c, up)
	_ = c.Close()
	<-done
	return nil
}

// readConnect reads a CONNECT request and returns its host:port.
func readConnect(c net.Conn) (string, error) {
	var req [4]byte
	if _, err := io.ReadFull(c, req[:]); err != nil {
		return "", err
	}
	if req[0] != 5 || req[1] != 1 {
		return "", errors.New("not a SOCKS5 CONNECT")
	}
	var host string
	switch req[3] {
	case 1, 4: // IPv4, IPv6
		ip := make([]byte, map[byte]int{1: 4, 4: 16}[req[3]])
		if _, err := io.ReadFull(c, ip); err != nil {
			return "", err
		}
		host = net.IP(ip).String()
	case 3: // a domain name
		var n [1]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return "", err
		}
		name := make([]byte, n[0])
		if _, err := io.ReadFull(c, name); err != nil {
			return "", err
		}
		host = string(name)
	default:
		return "", errors.New("unknown SOCKS5 address type")
	}
	var port [2]byte
	if _, err := io.ReadFull(c, port[:]); err != nil {
		return "", err
	}
	return net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(port[:])))), nil
}
