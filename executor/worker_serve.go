// The worker process's side of a ProcessPool: Init, the connection to the
// pool and the serve loop (worker_calls.go schedules the calls it runs; the
// pool's handle on a worker is process_handle.go).

package executor

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
)

// The environment a ProcessPool starts its workers with, and the descriptor
// of the worker's end of its socket pair.
const (
	envWorker      = "POOLSCRAPE_EXECUTOR_WORKER"      // the worker's number; marks a worker
	envInitializer = "POOLSCRAPE_EXECUTOR_INITIALIZER" // WithInitializer's name
	envMaxFrame    = "POOLSCRAPE_EXECUTOR_MAX_FRAME"   // WithMaxFrame
	envInFlight    = "POOLSCRAPE_EXECUTOR_IN_FLIGHT"   // WithInFlight
	workerFD       = 3                                 // cmd.ExtraFiles[0]
)

// Init makes the program usable as a ProcessPool worker. Call it first thing
// in main (and in TestMain). In a process that a ProcessPool started, Init
// runs the pool's initializer, serves tasks until the pool closes the
// connection (or dies), and exits the process: it never returns. Anywhere
// else it returns at once and does nothing.
func Init() {
	num := os.Getenv(envWorker)
	if num == "" {
		return
	}
	os.Exit(serveWorker(num))
}

// serveWorker is a worker process's life; it returns the exit code.
func serveWorker(num string) int {
	initName, maxFrame := os.Getenv(envInitializer), parseMaxFrame(os.Getenv(envMaxFrame))
	inFlight := parseInFlight(os.Getenv(envInFlight))
	// A task may start a ProcessPool of its own: it must not think it is
	// a worker that skipped Init.
	os.Unsetenv(envWorker)
	os.Unsetenv(envInitializer)
	os.Unsetenv(envMaxFrame)
	os.Unsetenv(envInFlight)
	conn, err := workerConn()
	if err != nil {
		fmt.Fprintf(os.Stderr, "executor: worker %s: %v\n", num, err)
		return 2
	}
	s := &workerServer{
		conn:     conn,
		in:       newFDReader(conn),
		maxFrame: maxFrame,
		inFlight: inFlight,
		running:  map[uint64]context.CancelFunc{},
	}
	s.out.written.L = &s.mu
	if err := s.initialize(initName); err != nil {
		fmt.Fprintf(os.Stderr, "executor: worker %s: %v\n", num, err)
		return 1
	}
	if err := s.serve(); err != nil {
		fmt.Fprintf(os.Stderr, "executor: worker %s: %v\n", num, err)
		return 2
	}
	return 0
}

func parseInFlight(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 1
	}
	return n
}

func parseMaxFrame(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > maxFrameLimit {
		return DefaultMaxFrame
	}
	return n
}

// workerConn makes a net.UnixConn of the inherited socket.
func workerConn() (*net.UnixConn, error) {
	f := os.NewFile(workerFD, "executor-socket")
	if f == nil {
		return nil, fmt.Errorf("no socket on descriptor %d", workerFD)
	}
	defer f.Close()
	c, err := net.FileConn(f)
	if err != nil {
		return nil, fmt.Errorf("socket on descriptor %d: %w", workerFD, err)
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("descriptor %d is a %T, not a Unix socket", workerFD, c)
	}
	return uc, nil
}

// workerServer serves one worker's socket: it reads calls and cancels, runs
// up to inFlight calls at once, each in a goroutine of its own, keeps the
// calls the pool sent ahead until a slot is free, and writes results back.
type workerServer struct {
	conn     *net.UnixConn
	in       *fdReader
	maxFrame int
	inFlight int

	mu      sync.Mutex
	running map[uint64]context.CancelFunc // calls started, by id
	waiting []*workerCall                 // calls sent ahead, in the order they came
	slots   int                           // calls running or finishing, up to inFlight
	// reserved counts the slots of finished calls whose results are being
	// written with no call waiting; handed holds the calls that came
	// meanwhile and took them, begun.
	reserved int
	handed   []*workerCall
	out      resultOut
}

// initialize runs the named initializer, if any, and tells the pool how it
// went with a ready frame.
func (s *workerServer) initialize(name string) error {
	err := runInitializer(name)
	kind, text := kindOK, ""
	if err != nil {
		kind, text = kindError, err.Error()
	}
	if werr := s.send(appendReady(nil, kind, cut(text, maxErrText))); werr != nil {
		return fmt.Errorf("tell the pool it is ready: %w", werr)
	}
	return err
}

func runInitializer(name string) (err error) {
	if name == "" {
		return nil
	}
	fn, ok := lookupInitializer(name)
	if !ok {
		return fmt.Errorf("initializer %q is not registered in the worker (register it at package level)", name)
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("initializer %q panicked: %v", name, v)
		}
	}()
	if err := fn(context.Background()); err != nil {
		return fmt.Errorf("initializer %q failed: %w", name, err)
	}
	return nil
}

// serve reads frames until the pool closes the socket (nil) or breaks the
// protocol (an error).
func (s *workerServer) serve() error {
	fr := newFrameReader(s.in, s.maxFrame+frameSlack)
	defer s.in.closeAll()
	for {
		typ, body, err := fr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read from the pool: %w", err)
		}
		switch typ {
		case frameCall:
			err = s.startCall(fr.start, body)
		case frameCancel:
			err = s.cancel(body, true)
		case frameUnsend:
			err = s.cancel(body, false)
		default:
			err = fmt.Errorf("%w: unexpected frame type %d", errBadFrame, typ)
		}
		if err != nil {
			return err
		}
	}
}

// execute runs the task named by c and describes its outcome.
func (s *workerServer) execute(ctx context.Context, c callFrame) (kind byte, text string, payload []byte) {
	h, ok := lookupTask(c.name)
	if !ok {
		return kindUnknownTask, fmt.Sprintf("%v: %q is not registered in the worker process (register tasks at package level)", ErrUnknownTask, c.name), nil
	}
	out, err := callHandler(ctx, h, c.payload)
	if pe, ok := err.(*PanicError); ok {
		return kindPanic, cut(fmt.Sprint(pe.Value), maxErrText), cutBytes(pe.Stack, s.maxFrame)
	}
	if err != nil {
		return errorKind(err), cut(err.Error(), maxErrText), nil
	}
	if len(out) > s.maxFrame {
		return kindEncode, fmt.Sprintf("%v: result of task %q is %d bytes, over the %d-byte frame limit (WithMaxFrame)",
			ErrEncode, c.name, len(out), s.maxFrame), nil
	}
	return kindOK, "", out
}

// callHandler runs h, turning a panic into a *PanicError.
func callHandler(ctx context.Context, h handler, arg []byte) (out []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: stack()}
		}
	}()
	return h(ctx, arg)
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func cutBytes(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return b[:n]
}
