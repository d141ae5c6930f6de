package executor_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poolscrape/poolscrape/executor"
)

// Tasks and initializers the ProcessPool tests run in worker processes. They
// are registered at package level, so the worker processes (this test binary
// started again) have them too.

type addArg struct {
	A, B  int
	Label string
}

type addResult struct {
	Sum   int
	Label string
	Pid   int
}

var (
	taskAdd = executor.Register("pp.add", func(_ context.Context, a addArg) (addResult, error) {
		return addResult{Sum: a.A + a.B, Label: strings.ToUpper(a.Label), Pid: os.Getpid()}, nil
	})
	taskPid = executor.Register("pp.pid", func(context.Context, int) (int, error) {
		return os.Getpid(), nil
	})
	// taskSleep sleeps for d or until its context ends, and says which.
	taskSleep = executor.Register("pp.sleep", func(ctx context.Context, d time.Duration) (int, error) {
		select {
		case <-time.After(d):
			return os.Getpid(), nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	})
	// taskHang ignores its context.
	taskHang = executor.Register("pp.hang", func(_ context.Context, d time.Duration) (int, error) {
		time.Sleep(d)
		return os.Getpid(), nil
	})
	taskExit = executor.Register("pp.exit", func(_ context.Context, code int) (int, error) {
		os.Exit(code)
		return 0, nil
	})
	taskPanic = executor.Register("pp.panic", func(_ context.Context, msg string) (int, error) {
		panic(msg)
	})
	taskFail = executor.Register("pp.fail", func(_ context.Context, msg string) (int, error) {
		return 0, errors.New(msg)
	})
	taskStderr = executor.Register("pp.stderr", func(_ context.Context, msg string) (int, error) {
		fmt.Fprintln(os.Stderr, msg)
		fmt.Fprint(os.Stdout, msg+"-stdout\n")
		return 0, nil
	})
	taskBytes = executor.Register("pp.bytes", func(_ context.Context, n int) ([]byte, error) {
		return make([]byte, n), nil
	})
	taskEcho = executor.Register("pp.echo", func(_ context.Context, b []byte) ([]byte, error) {
		return b, nil
	})
	taskFuncArg = executor.Register("pp.funcarg", func(_ context.Context, a funcArg) (int, error) {
		return a.N, nil
	})
	taskChanArg = executor.Register("pp.chanarg", func(_ context.Context, c chan int) (int, error) {
		return 0, nil
	})
	// taskCorrupt writes a frame header announcing 4 GiB to its worker's
	// socket to the pool, which must kill and replace the worker.
	taskCorrupt = executor.Register("pp.corrupt", func(context.Context, int) (int, error) {
		for _, fd := range socketFDs() {
			sysWrite(fd, []byte{0xff, 0xff, 0xff, 0xff, 3})
		}
		time.Sleep(time.Minute)
		return 0, nil
	})
	taskInitRuns = executor.Register("pp.initruns", func(context.Context, int) ([2]int, error) {
		initMu.Lock()
		defer initMu.Unlock()
		return [2]int{os.Getpid(), initRuns}, nil
	})
	// taskWriteFiles writes a line to each file it is passed.
	taskWriteFiles = executor.Register("pp.writefiles", func(ctx context.Context, msg string) (int, error) {
		files := executor.Files(ctx)
		for _, f := range files {
			if _, err := fmt.Fprintf(f, "%s from %d\n", msg, os.Getpid()); err != nil {
				return 0, err
			}
		}
		return len(files), nil
	})
	// taskServeConn answers one line on the connection it is passed.
	taskServeConn = executor.Register("pp.serveconn", func(ctx context.Context, prefix string) (string, error) {
		files := executor.Files(ctx)
		if len(files) != 1 {
			return "", fmt.Errorf("got %d files, want 1", len(files))
		}
		c, err := net.FileConn(files[0])
		if err != nil {
			return "", err
		}
		defer c.Close()
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			return "", err
		}
		reply := prefix + strings.ToUpper(line)
		_, err = c.Write([]byte(reply))
		return reply, err
	})
	// taskOpenFDs counts the worker's open descriptors.
	taskOpenFDs = executor.Register("pp.openfds", func(context.Context, int) (int, error) {
		return countFDs()
	})
)

type funcArg struct {
	N  int
	Fn func()
}

var (
	initMu   sync.Mutex
	initRuns int

	initCount = executor.RegisterInitializer("pp.init", func(context.Context) error {
		initMu.Lock()
		defer initMu.Unlock()
		initRuns++
		return nil
	})
	initBroken = executor.RegisterInitializer("pp.init-broken", func(context.Context) error {
		return errors.New("the database is gone")
	})
	// initFlaky fails while the file named by $PP_INIT_FAIL_FILE exists.
	initFlaky = executor.RegisterInitializer("pp.init-flaky", func(context.Context) error {
		if _, err := os.Stat(os.Getenv("PP_INIT_FAIL_FILE")); err == nil {
			return errors.New("flaky initializer told to fail")
		}
		return nil
	})
)

// socketFDs lists this process's socket descriptors.
func socketFDs() []int {
	entries, _ := os.ReadDir("/proc/self/fd")
	var fds []int
	for _, e := range entries {
		target, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err != nil || !strings.HasPrefix(target, "socket:") {
			continue
		}
		var fd int
		fmt.Sscan(e.Name(), &fd)
		fds = append(fds, fd)
	}
	return fds
}

func countFDs() (int, error) {
	entries, err := os.ReadDir("/proc/self/fd")
	return len(entries), err
}

// lockedBuffer is an io.Writer that tests can read while a pool writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newPool starts a ProcessPool that the test shuts down at its end, and
// checks then that no worker process is left.
func newPool(t testing.TB, workers int, opts ...executor.ProcessOption) *executor.ProcessPool {
	t.Helper()
	p, err := executor.NewProcessPool(workers, opts...)
	if err != nil {
		t.Fatalf("NewProcessPool(%d): %v", workers, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := p.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if kids := children(); len(kids) > 0 {
			t.Errorf("after Shutdown, child processes remain: %v", kids)
		}
	})
	return p
}

// children lists the processes whose parent is this one, zombies included.
func children() []string {
	entries, _ := os.ReadDir("/proc")
	var kids []string
	me := os.Getpid()
	for _, e := range entries {
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so parse after ')'.
		s := string(stat)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		var state string
		var ppid int
		fmt.Sscan(s[i+1:], &state, &ppid)
		if ppid == me {
			kids = append(kids, e.Name()+" state "+state)
		}
	}
	return kids
}

func result[T any](t testing.TB, f *executor.Future[T]) (T, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	v, err := f.Result(ctx)
	if ctx.Err() != nil {
		t.Fatalf("future not done after 2 minutes")
	}
	return v, err
}

func mustResult[T any](t testing.TB, f *executor.Future[T]) T {
	t.Helper()
	v, err := result(t, f)
	if err != nil {
		t.Fatalf("Result: %v", err)
	}
	return v
}

// waitFor polls cond until it holds, failing the test after a minute (a
// generous bound: the conditions are about correctness, not speed).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func processExists(pid int) bool {
	return sysKill(pid, 0) == nil
}
