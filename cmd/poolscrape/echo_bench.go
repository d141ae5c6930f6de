package main

import (
	"context"
	"fmt"
	"net"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/poolscrape/poolscrape/echo"
	"github.com/spf13/cobra"
)

func newEchoBenchCmd() *cobra.Command {
	cfg := echo.BenchConfig{}
	cmd := &cobra.Command{
		Use:   "bench [flags]",
		Short: "Load an echo server with ping-pong connections and check every byte",
		Long: `bench opens -c connections to an echo server, and once all are open has each
do -n round trips of a random -s byte message, checking every byte of every
echo. It prints round trips per second, latency percentiles and failures, and
exits 1 if any connection failed or any echo differed. A connection whose echo
does not come back within --round-trip-timeout fails, so a server that accepts
but does not echo is reported in seconds, not at the end of --timeout.`,
		Example: `  # against a server started with: poolscrape echo
  poolscrape echo bench

  # 1,000 connections of 4 KiB ping-pong
  poolscrape echo bench --addr 127.0.0.1:9999 -c 1000 -n 200 -s 4096`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runEchoBench(cmd, cfg) },
	}
	fl := cmd.Flags()
	fl.StringVar(&cfg.Addr, "addr", echo.DefaultAddr, "the echo server's `ADDR`, host:port")
	fl.IntVarP(&cfg.Conns, "connections", "c", 100, "`N` connections, all open at once")
	fl.IntVarP(&cfg.RoundTrips, "round-trips", "n", 1000, "`N` round trips per connection")
	fl.IntVarP(&cfg.Size, "size", "s", 64, "message size, `N` bytes")
	fl.DurationVar(&cfg.Timeout, "timeout", 5*time.Minute, "bound `D` on the whole run (0: none)")
	fl.DurationVar(&cfg.RoundTripTimeout, "round-trip-timeout", 10*time.Second, "fail a connection whose echo takes longer than `D` (0: none)")
	return cmd
}

func runEchoBench(cmd *cobra.Command, cfg echo.BenchConfig) error {
	if err := checkBenchConfig(cfg); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "echo bench: %d connections x %d round trips of %d bytes to %s\n", cfg.Conns, cfg.RoundTrips, cfg.Size, cfg.Addr)
	res, err := echo.RunBench(ctx, cfg)
	fmt.Fprintln(out, res)
	for _, e := range res.Errors {
		fmt.Fprintln(cmd.ErrOrStderr(), "  ", e)
	}
	return err
}

// checkBenchConfig names the first echo bench flag whose value is out of
// range, with the value.
func checkBenchConfig(cfg echo.BenchConfig) error {
	switch {
	case cfg.Conns <= 0 || cfg.Conns > maxConcurrency:
		return usageErrorf("-c/--connections %d: want a positive number up to %d", cfg.Conns, maxConcurrency)
	case cfg.RoundTrips <= 0:
		return usageErrorf("-n/--round-trips %d: want a positive number", cfg.RoundTrips)
	case cfg.Size <= 0 || cfg.Size > maxMessageSize:
		return usageErrorf("-s/--size %d: want a positive number of bytes up to %d (64 MiB)", cfg.Size, maxMessageSize)
	case cfg.Timeout < 0 || cfg.Timeout > maxFlagDuration:
		return usageErrorf("--timeout %v: want a positive duration up to %v (or 0 for none)", cfg.Timeout, maxFlagDuration)
	case cfg.RoundTripTimeout < 0 || cfg.RoundTripTimeout > maxFlagDuration:
		return usageErrorf("--round-trip-timeout %v: want a positive duration up to %v (or 0 for none)", cfg.RoundTripTimeout, maxFlagDuration)
	}
	return checkDialAddr(cfg.Addr)
}

// checkDialAddr rejects an --addr that is not HOST:PORT with a port from 1
// to 65535 (or a service name), as the user's mistake (exit 2) rather than
// a failure to connect (exit 1).
func checkDialAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("--addr %q: want HOST:PORT (%v)", addr, err)
	}
	if err := checkText("--addr", addr); err != nil {
		return err
	}
	bad := usageErrorf("--addr %q: port %q is not a number from 1 to 65535 (or a service name)", addr, port)
	if p, err := strconv.ParseUint(port, 10, 16); err == nil {
		if p == 0 {
			return bad
		}
		return nil
	}
	if _, err := net.LookupPort("tcp", port); err != nil || port == "" {
		return bad
	}
	return nil
}
