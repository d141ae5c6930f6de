package echo

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
)

// idleServerRole is the childtest role that serves echo for
// BenchmarkEchoIdleMemory in a process of its own, so that its memory can
// be read apart from the benchmark's clients. Its argument is "bare" (the
// goroutine-per-connection io.Copy server), or a Mode (process mode with 2
// workers). It prints the address it listens on, serves until its standard
// input closes, then shuts down and exits.
const idleServerRole = "echo.idle-server"

// idleServerChild is the idleServerRole.
func idleServerChild(arg string) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var stop func() error
	if arg == "bare" {
		stop = serveBare(ln)
	} else {
		srv, err := New(Config{Mode: Mode(arg), Workers: idleChildWorkers(Mode(arg))})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(context.Background(), ln) }()
		stop = func() error { srv.Close(); <-errc; return nil }
	}
	fmt.Println(ln.Addr())
	io.Copy(io.Discard, bufio.NewReader(os.Stdin))
	if err := stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// idleChildWorkers is 2 worker processes in process mode, the default in
// thread mode.
func idleChildWorkers(m Mode) int {
	if m == ModeProcess {
		return 2
	}
	return 0
}

// serveBare serves ln with the textbook goroutine-per-connection io.Copy
// echo (no pool, no limits, no deadlines) and returns what stops it.
func serveBare(ln net.Listener) func() error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	open := map[net.Conn]struct{}{}
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			open[c] = struct{}{}
			mu.Unlock()
			wg.Go(func() {
				io.Copy(c, c)
				c.Close()
				mu.Lock()
				delete(open, c)
				mu.Unlock()
			})
		}
	})
	return func() error {
		ln.Close()
		mu.Lock()
		for c := range open {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
		return nil
	}
}
