package echo

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/internal/echotest"
)

// TestShutdownDrain: Shutdown stops accepting at once, keeps serving the
// open connections during the drain, and closes them at the drain deadline.
func TestShutdownDrain(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		const drain = 800 * time.Millisecond
		srv, addr := startServer(t, Config{Mode: mode, DrainTimeout: drain})
		stays, leaves := echotest.Dial(t, addr), echotest.Dial(t, addr)
		for _, c := range []net.Conn{stays, leaves} {
			if err := echotest.RoundTrip(c, []byte("before")); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- srv.Shutdown(context.Background()) }()
		waitFor(t, "the listener closed", func() bool {
			c, err := net.Dial("tcp", addr)
			if err == nil {
				c.Close()
			}
			return err != nil
		})
		if err := echotest.RoundTrip(stays, []byte("during the drain")); err != nil {
			t.Fatalf("open connection during the drain: %v", err)
		}
		if err := echotest.RoundTrip(leaves, []byte("bye")); err != nil {
			t.Fatalf("open connection during the drain: %v", err)
		}
		leaves.Close()
		expectClosed(t, stays)
		if took := time.Since(start); took < drain {
			t.Errorf("connection closed after %v, before the %v drain deadline", took, drain)
		}
		if err := <-done; !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown = %v, want DeadlineExceeded (a connection was still open)", err)
		}
		if st := srv.Stats(); st.Active != 0 {
			t.Errorf("stats %v after Shutdown: want active=0", st)
		}
	})
}

// TestShutdownAllLeave: when every connection closes during the drain,
// Shutdown returns nil without waiting for the deadline.
func TestShutdownAllLeave(t *testing.T) {
	forModes(t, func(t *testing.T, mode Mode) {
		srv, addr := startServer(t, Config{Mode: mode, DrainTimeout: time.Hour})
		c := echotest.Dial(t, addr)
		if err := echotest.RoundTrip(c, []byte("x")); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- srv.Shutdown(context.Background()) }()
		time.Sleep(50 * time.Millisecond)
		if err := echotest.RoundTrip(c, []byte("still served")); err != nil {
			t.Fatalf("during the drain: %v", err)
		}
		c.Close()
		if err := <-done; err != nil {
			t.Errorf("Shutdown = %v, want nil", err)
		}
	})
}

// TestServeAfterShutdown returns ErrServerClosed and closes the listener.
func TestServeAfterShutdown(t *testing.T) {
	srv, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown of an idle server: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(context.Background(), ln); !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve after Shutdown = %v, want ErrServerClosed", err)
	}
	if _, err := ln.Accept(); err == nil {
		t.Error("listener still open after Serve returned")
	}
}

// TestServeContextEnds closes the server when Serve's context ends.
func TestServeContextEnds(t *testing.T) {
	srv, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	c := echotest.Dial(t, ln.Addr().String())
	if err := echotest.RoundTrip(c, []byte("x")); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Serve = %v, want context.Canceled", err)
	}
	expectClosed(t, c)
}
