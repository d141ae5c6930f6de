package echo

import (
	"net"
	"sync"
)

// connSet is the set of connections thread mode has taken, served or
// queued, so that closeAll can close them all when the server ends its
// connections. One set for all, rather than a context.AfterFunc on the
// server's context for each connection, keeps an idle connection some 350
// bytes smaller (the AfterFunc's context and its entry in the parent's
// children).
type connSet struct {
	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

// add adds c and reports true, or, once closeAll has run, closes c and
// reports false.
func (s *connSet) add(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		c.Close()
		return false
	}
	if s.conns == nil {
		s.conns = map[net.Conn]struct{}{}
	}
	s.conns[c] = struct{}{}
	return true
}

// remove drops c from the set.
func (s *connSet) remove(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

// closeAll closes every connection in the set and every one added later.
func (s *connSet) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
}
