package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/poolscrape/poolscrape/echo"
	"github.com/poolscrape/poolscrape/executor"
	"github.com/spf13/cobra"
)

func init() { subcommands = append(subcommands, newEchoCmd) }

// echoFlags are the echo command's flags.
type echoFlags struct {
	listen        string
	pool          string
	workers       int
	maxConns      int
	idleTimeout   time.Duration
	drainTimeout  time.Duration
	writeTimeout  time.Duration
	statsInterval time.Duration
	quiet         bool
}

func newEchoCmd() *cobra.Command {
	var f echoFlags
	cmd := &cobra.Command{
		Use:   "echo [flags]",
		Short: "Serve TCP echo on a goroutine pool or on worker processes",
		Long: `echo serves TCP echo: every byte a client sends comes back, byte for byte.

Each accepted connection is a task on the executor's goroutine pool (--pool
thread) or is passed, as a file descriptor, to one of --workers worker
processes (--pool process), which serve many connections each; a worker that
dies loses only its own connections and is replaced.

Past --max-conns open connections a new one is closed at once and counted as
refused. A connection silent for --idle-timeout is closed; one whose echo
cannot be written within --write-timeout (a client that never reads) is cut
off. On SIGINT or SIGTERM the server stops accepting, lets the open
connections finish for up to --drain-timeout (a second signal cuts that
short), prints its counters and exits 0.

The counters line: accepted, refused, active, bytes_in, bytes_out, errors. In
process mode the byte counters of a connection are added when it ends.`,
		Example: `  # serve on the default address with the goroutine pool
  poolscrape echo

  # worker processes, any free port (the address is printed), counters every 5s
  poolscrape echo --pool process --listen 127.0.0.1:0 --stats-interval 5s

  # load it from another terminal
  poolscrape echo bench --addr 127.0.0.1:9999 -c 1000 -n 1000 -s 4096`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runEcho(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", echo.DefaultAddr, "`ADDR` to listen on, host:port (port 0: any free port)")
	fl.StringVar(&f.pool, "pool", "thread", "`POOL` that serves connections: thread or process")
	fl.IntVar(&f.workers, "workers", 0, "`N`: with thread, connections served at once [10000]; with process, worker processes [number of CPUs]")
	fl.IntVar(&f.maxConns, "max-conns", echo.DefaultMaxConns, "`N` open connections in all; past it new ones are refused")
	fl.DurationVar(&f.idleTimeout, "idle-timeout", echo.DefaultIdleTimeout, "close a connection that sends nothing for `D`")
	fl.DurationVar(&f.drainTimeout, "drain-timeout", echo.DefaultDrainTimeout, "on SIGINT/SIGTERM, let open connections finish for `D`")
	fl.DurationVar(&f.writeTimeout, "write-timeout", echo.DefaultWriteTimeout, "cut off a connection whose echo cannot be written for `D`")
	fl.DurationVar(&f.statsInterval, "stats-interval", 0, "print the counters line every `D` (0: only at exit)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print neither the listening line nor the counters at exit")
	cmd.AddCommand(newEchoBenchCmd())
	return cmd
}

// config checks the flags and turns them into an echo.Config.
func (f echoFlags) config() (echo.Config, error) {
	mode, err := echo.ParseMode(f.pool)
	if err != nil {
		return echo.Config{}, usageErrorf("--pool %q: want thread or process", f.pool)
	}
	if mode == echo.ModeProcess {
		if err := executor.ProcessPoolSupported(); err != nil {
			return echo.Config{}, usageErrorf("--pool process: %v (use --pool thread)", err)
		}
	}
	switch {
	case f.workers < 0:
		return echo.Config{}, usageErrorf("--workers %d: want a positive number (or 0 for the default)", f.workers)
	case mode == echo.ModeProcess && f.workers > maxProcesses:
		return echo.Config{}, usageErrorf("--workers %d: want at most %d worker processes", f.workers, maxProcesses)
	case f.maxConns <= 0:
		return echo.Config{}, usageErrorf("--max-conns %d: want a positive number", f.maxConns)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--idle-timeout", f.idleTimeout}, {"--drain-timeout", f.drainTimeout}, {"--write-timeout", f.writeTimeout}} {
		if d.v <= 0 || d.v > maxFlagDuration {
			return echo.Config{}, usageErrorf("%s %v: want a positive duration up to %v", d.name, d.v, maxFlagDuration)
		}
	}
	if f.statsInterval < 0 || f.statsInterval > maxFlagDuration {
		return echo.Config{}, usageErrorf("--stats-interval %v: want a positive duration up to %v (or 0 for none)", f.statsInterval, maxFlagDuration)
	}
	if err := checkListenAddr(f.listen); err != nil {
		return echo.Config{}, err
	}
	return echo.Config{
		Addr: f.listen, Mode: mode, Workers: f.workers, MaxConns: f.maxConns,
		IdleTimeout: f.idleTimeout, DrainTimeout: f.drainTimeout, WriteTimeout: f.writeTimeout,
	}, nil
}

// checkListenAddr rejects a --listen value that is not HOST:PORT with a port
// from 0 to 65535, as the user's mistake (exit 2) rather than a failure to
// listen (exit 1, kept for an address in use or a host that does not
// resolve).
func checkListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("--listen %q: want HOST:PORT (%v)", addr, err)
	}
	if err := checkText("--listen", addr); err != nil {
		return err
	}
	if _, err := strconv.ParseUint(port, 10, 16); err == nil {
		return nil
	}
	if _, err := net.LookupPort("tcp", port); err != nil || port == "" {
		return usageErrorf("--listen %q: port %q is not a number from 0 to 65535 (or a service name)", addr, port)
	}
	return nil
}

func runEcho(cmd *cobra.Command, f echoFlags) error {
	cfg, err := f.config()
	if err != nil {
		return err
	}
	srv, err := echo.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		srv.Close()
		return fmt.Errorf("echo: listen on %s: %w", cfg.Addr, err)
	}
	out := cmd.OutOrStdout()
	if !f.quiet {
		c := srv.Config()
		fmt.Fprintf(out, "echo: listening on %s (%s mode, %d workers, max %d connections)\n", ln.Addr(), c.Mode, c.Workers, c.MaxConns)
	}
	return serveUntilSignal(srv, ln, f, out)
}

// serveUntilSignal serves ln until SIGINT or SIGTERM, then drains (a second
// signal closes the connections at once) and prints the counters.
func serveUntilSignal(srv *echo.Server, ln net.Listener, f echoFlags, out io.Writer) error {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(context.Background(), ln) }()
	stopStats := printStatsEvery(srv, f.statsInterval, out)
	defer stopStats()
	select {
	case err := <-served:
		srv.Close()
		return fmt.Errorf("echo: serving %s: %w", ln.Addr(), err)
	case <-sigs:
	}
	if !f.quiet {
		fmt.Fprintf(out, "echo: draining for up to %v\n", f.drainTimeout)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
		}
	}()
	err := srv.Shutdown(ctx)
	cancel()
	if serr := <-served; !errors.Is(serr, echo.ErrServerClosed) {
		return fmt.Errorf("echo: serving %s: %w", ln.Addr(), serr)
	}
	stopStats()
	if !f.quiet {
		if err != nil {
			fmt.Fprintf(out, "echo: drain ended with connections open (%v): closed them\n", err)
		}
		fmt.Fprintln(out, "echo:", srv.Stats())
	}
	return nil
}

// printStatsEvery prints the counters line every d (d <= 0: never) until the
// returned function is called, which may be called more than once.
func printStatsEvery(srv *echo.Server, d time.Duration, out io.Writer) func() {
	if d <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				fmt.Fprintln(out, "echo:", srv.Stats())
			case <-done:
				return
			}
		}
	}()
	var closed bool
	return func() {
		if !closed {
			closed = true
			close(done)
			<-stopped
		}
	}
}
