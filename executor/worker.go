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
	// A task may start a ProcessPool of its own: it must not think it is
	// a worker that skipped Init.
	os.Unsetenv(envWorker)
	os.Unsetenv(envInitializer)
	os.Unsetenv(envMaxFrame)
	conn, err := workerConn()
	if err != nil {
		fmt.Fprintf(os.Stderr, "executor: worker %s: %v\n", num, err)
		return 2
	}
	s := &workerServer{
		conn:     conn,
		in:       newFDReader(conn),
		maxFrame: maxFrame,
		running:  map[uint64]context.CancelFunc{},
	}
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
// each call in its own goroutine, and writes results back.
type workerServer struct {
	conn     *net.UnixConn
	in       *fdReader
	maxFrame int

	mu      sync.Mutex
	running map[uint64]context.CancelFunc

	out resultWriter
}

// initialize runs the named initializer, if any, and tells the pool how it
// went with a ready frame.
func (s *workerServer) initialize(name string) error {
	err := runInitializer(name)
	kind, text := kindOK, ""
	if err != nil {
		kind, text = kindError, err.Error()
	}
	if werr := s.out.send(s.conn, appendReady(nil, kind, cut(text, maxErrText))); werr != nil {
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
			err = s.startCall(body)
		case frameCancel:
			err = s.cancel(body)
		default:
			err = fmt.Errorf("%w: unexpected frame type %d", errBadFrame, typ)
		}
		if err != nil {
			return err
		}
	}
}

// startCall starts a goroutine for the call in body.
func (s *workerServer) startCall(body []byte) error {
	c, err := parseCall(body)
	if err != nil {
		return err
	}
	fds, err := s.in.take(c.nfds)
	if err != nil {
		return err
	}
	c.payload = append([]byte(nil), c.payload...) // body is reused
	var ctx context.Context
	var cancel context.CancelFunc
	if c.timeout > 0 {
		ctx, cancel = context.WithTimeout(context.Background(), c.timeout)
	} else {
		ctx, cancel = context.WithCancel(context.Background())
	}
	s.mu.Lock()
	s.running[c.id] = cancel
	s.mu.Unlock()
	go s.run(ctx, c, filesOf(fds))
	return nil
}

func (s *workerServer) cancel(body []byte) error {
	id, err := parseCancel(body)
	if err != nil {
		return err
	}
	s.mu.Lock()
	cancel := s.running[id]
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return nil
}

func filesOf(fds []int) []*os.File {
	if len(fds) == 0 {
		return nil
	}
	files := make([]*os.File, len(fds))
	for i, fd := range fds {
		files[i] = os.NewFile(uintptr(fd), "executor-file-"+strconv.Itoa(i))
	}
	return files
}

// run runs one call and sends its result. Files the task left open are
// closed when it returns, so that a worker never accumulates descriptors.
func (s *workerServer) run(ctx context.Context, c callFrame, files []*os.File) {
	r := resultFrame{id: c.id}
	r.kind, r.text, r.payload = s.execute(withFiles(ctx, files), c)
	for _, f := range files {
		f.Close()
	}
	s.mu.Lock()
	cancel := s.running[c.id]
	delete(s.running, c.id)
	s.mu.Unlock()
	cancel()
	if err := s.out.send(s.conn, appendResult(nil, &r)); err != nil {
		// The pool is gone or has given up on this worker.
		fmt.Fprintf(os.Stderr, "executor: worker: send result: %v\n", err)
		os.Exit(2)
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

// resultWriter lets the goroutines that finish tasks write their results
// without a writer goroutine: the first to arrive writes, and whatever is
// queued meanwhile goes out in its next write (flat combining).
type resultWriter struct {
	mu      sync.Mutex
	buf     []byte
	spare   []byte
	writing bool
	err     error
}

// send queues frame and, unless another goroutine is writing, writes
// everything queued. It returns the first write error.
func (w *resultWriter) send(conn *net.UnixConn, frame []byte) error {
	w.mu.Lock()
	if w.err != nil {
		defer w.mu.Unlock()
		return w.err
	}
	w.buf = append(w.buf, frame...)
	if w.writing {
		w.mu.Unlock()
		return nil
	}
	w.writing = true
	for len(w.buf) > 0 && w.err == nil {
		out := w.buf
		w.buf = w.spare[:0]
		w.mu.Unlock()
		_, err := conn.Write(out)
		w.mu.Lock()
		w.err = err
		if cap(out) <= keepFrameBuf {
			w.spare = out[:0]
		} else {
			w.spare = nil
		}
	}
	w.writing = false
	err := w.err
	w.mu.Unlock()
	return err
}
